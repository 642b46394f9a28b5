-- Keys, constraints and indexes of the benchmark schema: added after the seed (faster), and part of the
-- "realistic" target, which gets schema.sql then this file.
alter table customers add primary key (id);
alter table customers add constraint customers_email_key unique (email);
alter table orders add primary key (id);
alter table orders add constraint orders_customer_id_fkey foreign key (customer_id) references customers (id);
create index orders_customer_id_idx on orders (customer_id);
create index orders_ordered_at_idx on orders (ordered_at);
alter table support_tickets add primary key (id);
alter table support_tickets
  add constraint support_tickets_customer_id_fkey foreign key (customer_id) references customers (id);
create index support_tickets_customer_id_idx on support_tickets (customer_id);
