-- Seeds the benchmark source. Deterministic: every value comes from generate_series and hashint8, never
-- random(), so the same scale always gives the same bytes. Run with: psql -v scale=1 -f seed.sql
\set ON_ERROR_STOP 1
select greatest(1, round(1000000 * :scale))::bigint as ncust,
       greatest(1, round(2000000 * :scale))::bigint as norders,
       greatest(1, round(200000 * :scale))::bigint as ntickets \gset

-- h(i, k): a non-negative deterministic hash of row i for field k (inlined by the planner).
create function h(i bigint, k int) returns bigint language sql immutable parallel safe
  as $$ select (hashint8(i * 64 + k) & 2147483647)::bigint $$;

-- luhn(c): the Luhn sum of a 15-digit card payload, whose check digit is (10 - sum % 10) % 10.
create function luhn(c text) returns int language sql immutable parallel safe as $$ select
    (2 * substr(c, 1, 1)::int) / 10 + (2 * substr(c, 1, 1)::int) % 10 +
    substr(c, 2, 1)::int +
    (2 * substr(c, 3, 1)::int) / 10 + (2 * substr(c, 3, 1)::int) % 10 +
    substr(c, 4, 1)::int +
    (2 * substr(c, 5, 1)::int) / 10 + (2 * substr(c, 5, 1)::int) % 10 +
    substr(c, 6, 1)::int +
    (2 * substr(c, 7, 1)::int) / 10 + (2 * substr(c, 7, 1)::int) % 10 +
    substr(c, 8, 1)::int +
    (2 * substr(c, 9, 1)::int) / 10 + (2 * substr(c, 9, 1)::int) % 10 +
    substr(c, 10, 1)::int +
    (2 * substr(c, 11, 1)::int) / 10 + (2 * substr(c, 11, 1)::int) % 10 +
    substr(c, 12, 1)::int +
    (2 * substr(c, 13, 1)::int) / 10 + (2 * substr(c, 13, 1)::int) % 10 +
    substr(c, 14, 1)::int +
    (2 * substr(c, 15, 1)::int) / 10 + (2 * substr(c, 15, 1)::int) % 10 $$;

create temporary table words as select
  array['James','Mary','Mohammed','Olga','Hiroshi','Mei','Carlos','Lucia','Ahmet','Ayse','Nguyen','Priya',
        'Rahul','Giulia','Marco','Sophie','Lukas','Anna','Pierre','Camille','Jan','Zofia','Joao','Ana',
        'Kwame','Amara','Liam','Emma','Noah','Olivia','Sven','Ingrid','Dmitri','Yuki','Fatima','Omar',
        'Chloe','Diego','Elena','Tomasz'] as first_names,
  array['Smith','Johnson','Garcia','Muller','Rossi','Kowalski','Nguyen','Tanaka','Wang','Silva','Yilmaz',
        'Patel','Sharma','Dubois','Martin','Schmidt','Jansen','de Vries','Ferrari','Lopez','Novak','Ivanov',
        'Kim','Sato','Okafor','Mensah','Brown','Taylor','Andersson','Nielsen','Costa','Moreau','Fischer',
        'Bianchi','Haddad','Cohen','Murphy','OBrien','Fernandez','Weber'] as last_names,
  array['High Street','Station Road','Main Street','Church Lane','Park Avenue','Mill Road','Rue de la Paix',
        'Hauptstrasse','Via Roma','Calle Mayor','Kerkstraat','Ulica Dluga','Rua Augusta','Baker Street',
        'Elm Street','Oak Avenue','Queens Road','King Street','Bahnhofstrasse','Lindenweg'] as streets,
  array['London','Manchester','Paris','Lyon','Berlin','Hamburg','Munich','Rome','Milan','Madrid',
        'Barcelona','Amsterdam','Rotterdam','Warsaw','Krakow','Lisbon','Porto','Tokyo','Osaka','Beijing',
        'Shanghai','New York','Chicago','Toronto','Sydney','Dublin','Vienna','Zurich','Brussels','Oslo'] as cities,
  array['GB','FR','DE','IT','ES','NL','PL','PT','JP','CN','US','CA','AU','IE','AT'] as countries,
  array['gmail.com','outlook.com','yahoo.co.uk','web.de','orange.fr','libero.it','example.org'] as domains,
  array['Prefers e-mail over phone calls. ','VIP since the spring campaign. ','Asked for paper invoices. ',
        'Moved house last year, check address. ','Speaks English and French. ','Returned two parcels. ',
        'Pays by bank transfer only. ','Subscribed to the newsletter. ','Has a business account too. ',
        'Called about a late delivery. ','Likes the loyalty programme. ','Do not call before 10am. ']
    as note_phrases,
  array['pending','paid','shipped','delivered','cancelled','refunded'] as statuses,
  array['EUR','GBP','USD','PLN','JPY'] as currencies,
  array['Order arrived damaged','Refund not received','Cannot log in','Wrong item delivered',
        'Change my address','Invoice question','Cancel my subscription','Card declined at checkout']
    as subjects,
  array['I ordered a pair of running shoes three weeks ago and the parcel still has not arrived at my door.',
        'The tracking page has shown the same status for days and nobody answers the phone line at all.',
        'When I opened the box the screen was cracked and the charger was missing from the package.',
        'I was charged twice for the same order, please check the payment and refund the duplicate amount.',
        'My account was locked after I tried to reset the password, and the reset link never arrives.',
        'I would like to change the delivery address on my open order before it leaves the warehouse.',
        'The invoice shows the wrong company name and VAT number, could you send a corrected copy please.',
        'I cancelled the subscription last month but I was billed again this week, which is not right.']
    as sentences;

insert into customers (id, first_name, last_name, email, phone, street, city, postcode, country, birth_date,
                       iban, card_number, ssn, last_ip, created_at, notes)
select i, fn, ln,
  lower(replace(fn || '.' || ln, ' ', '')) || i || '@' || w.domains[1 + h(i, 3) % 7],
  '+' || (1 + h(i, 4) % 89) || ' ' || lpad((h(i, 5) % 1000000000)::text, 9, '0'),
  (1 + h(i, 6) % 250) || ' ' || w.streets[1 + h(i, 7) % 20],
  w.cities[1 + h(i, 8) % 30],
  lpad((h(i, 9) % 100000)::text, 5, '0'),
  w.countries[1 + h(i, 10) % 15],
  date '1940-01-01' + (h(i, 11) % 25000)::int,
  'DE' || lpad((98 - mod((bban || '131400')::numeric, 97))::text, 2, '0') || bban,
  card || ((10 - luhn(card) % 10) % 10),
  lpad((1 + h(i, 13) % 665)::text, 3, '0') || '-' || lpad((1 + h(i, 14) % 99)::text, 2, '0') || '-'
    || lpad((1 + h(i, 15) % 9999)::text, 4, '0'),
  ((1 + h(i, 16) % 223) || '.' || h(i, 17) % 256 || '.' || h(i, 18) % 256 || '.' || (1 + h(i, 19) % 254))::inet,
  timestamptz '2015-01-01 00:00:00+00' + (h(i, 20) % 315360000) * interval '1 second',
  w.note_phrases[1 + h(i, 21) % 12] || w.note_phrases[1 + h(i, 22) % 12] || w.note_phrases[1 + h(i, 23) % 12]
    || w.note_phrases[1 + h(i, 24) % 12] || w.note_phrases[1 + h(i, 25) % 12]
from words w,
  lateral generate_series(1, :ncust) i,
  lateral (select w.first_names[1 + h(i, 1) % 40] as fn, w.last_names[1 + h(i, 2) % 40] as ln,
                  lpad((h(i, 12) % 1000000000)::text, 9, '0') || lpad((h(i, 26) % 1000000000)::text, 9, '0')
                    as bban,
                  '4' || lpad((h(i, 27) % 10000000)::text, 7, '0') || lpad((h(i, 28) % 10000000)::text, 7, '0')
                    as card) v;

insert into orders (id, customer_id, ordered_at, status, amount, currency, items)
select i, 1 + h(i, 31) % :ncust,
  timestamptz '2018-01-01 00:00:00+00' + (h(i, 32) % 220000000) * interval '1 second',
  w.statuses[1 + h(i, 33) % 6],
  (h(i, 34) % 5000000) / 100.0,
  w.currencies[1 + h(i, 35) % 5],
  1 + h(i, 36) % 9
from words w, generate_series(1, :norders) i;

insert into support_tickets (id, customer_id, opened_at, subject, body)
select t.i, c.id,
  timestamptz '2019-01-01 00:00:00+00' + (h(t.i, 41) % 180000000) * interval '1 second',
  w.subjects[1 + h(t.i, 42) % 8],
  'Hello, my name is ' || c.first_name || ' ' || c.last_name || ' and I am writing about order ORD-'
    || lpad((h(t.i, 43) % 100000)::text, 5, '0') || '. '
    || w.sentences[1 + h(t.i, 44) % 8] || ' ' || w.sentences[1 + h(t.i, 45) % 8]
    || ' You can reach me at ' || c.email || ' or call me on ' || c.phone || ' during office hours. '
    || 'My colleague ' || w.first_names[1 + h(t.i, 47) % 40] || ' '
    || w.last_names[1 + h(t.i, 48) % 40] || ' had the same problem last week. '
    || w.sentences[1 + h(t.i, 49) % 8] || ' Kind regards, ' || c.first_name || ' ' || c.last_name
from words w, generate_series(1, :ntickets) t(i)
  join customers c on c.id = 1 + h(t.i, 40) % :ncust;

select setval(pg_get_serial_sequence('customers', 'id'), :ncust);
select setval(pg_get_serial_sequence('orders', 'id'), :norders);
select setval(pg_get_serial_sequence('support_tickets', 'id'), :ntickets);
drop function h(bigint, int);
drop function luhn(text);
vacuum (freeze, analyze);
