-- The "cheap" target: the same columns, UNLOGGED, with no keys, constraints or indexes, so a load costs
-- the server as little as it can and the time left is the copy itself.
create unlogged table customers (
  id bigint, first_name text, last_name text, email text, phone text, street text, city text,
  postcode text, country text, birth_date date, iban text, card_number text, ssn text, last_ip inet,
  created_at timestamptz, notes text
);
create unlogged table orders (
  id bigint, customer_id bigint, ordered_at timestamptz, status text, amount numeric(12, 2),
  currency char(3), items integer
);
create unlogged table support_tickets (
  id bigint, customer_id bigint, opened_at timestamptz, subject text, body text
);
-- The sequences PrivaCI sets after the data (standalone here: an identity column would add NOT NULL).
create sequence customers_id_seq;
create sequence orders_id_seq;
create sequence support_tickets_id_seq;
