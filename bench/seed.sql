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
        'Chloe','Diego','Elena','Tomasz','Mark','Grace','Rose','Bill','Daisy','Jack','Robin','Victoria',
        'Siddharth','Ananya','Kenji','Haruka','Wei','Xiu','Minh','Linh','Thabo','Nomvula','Chidi','Ngozi',
        'Mateus','Beatriz','Joaquin','Valentina','Matteo','Chiara','Bastien','Margaux','Jonas','Leonie',
        'Pieter','Femke','Kacper','Aleksandra','Mehmet','Elif','Arash','Shirin','Yusuf','Layla','Ivan',
        'Svetlana','Oskar','Astrid','Eero','Aino','Sean','Siobhan','Dylan','Megan','Tyler','Brooke','Ravi',
        'Deepika','Tariq','Amina','Hugo','Ines','Felix','Clara'] as first_names,
  array['Smith','Johnson','Garcia','Muller','Rossi','Kowalski','Nguyen','Tanaka','Wang','Silva','Yilmaz',
        'Patel','Sharma','Dubois','Martin','Schmidt','Jansen','de Vries','Ferrari','Lopez','Novak','Ivanov',
        'Kim','Sato','Okafor','Mensah','Brown','Taylor','Andersson','Nielsen','Costa','Moreau','Fischer',
        'Bianchi','Haddad','Cohen','Murphy','OBrien','Fernandez','Weber','Baker','Hunter','Fox','Long',
        'Young','Walker','Wood','Bell','Price','Hill','Nakamura','Takahashi','Chen','Liu','Tran','Pham',
        'Dlamini','Nkosi','Adeyemi','Eze','Oliveira','Pereira','Ramirez','Torres','Esposito','Romano',
        'Lefebvre','Girard','Becker','Hoffmann','van Dijk','Bakker','Nowak','Wisniewski','Demir','Kaya',
        'Ahmadi','Karimi','Khan','Hussain','Petrov','Smirnova','Lindqvist','Berg','Virtanen','Korhonen',
        'Byrne','Kelly','Jones','Evans','Reddy','Iyer','Mansour','Aziz','Laurent','Santos','Wagner',
        'Schulz','Meyer','Fontaine'] as last_names,
  array['Zoë Müller','José Álvarez','Björn Lindström','Łukasz Wójcik','Agnès Lefèvre','Çağla Öztürk',
        'Nguyễn Thị Hoa','Søren Jørgensen','Ngozi Okonkwo','Anaïs Rousseau','Jürgen Weiß','Inês Gonçalves',
        'Priyanka Menon','Hamid Rahimi','Takeshi Mori','Lena Vogel','Ruth Baker','Sam Wood','Peter Long',
        'Kate Hill','Alex Young','Chris Bell','Joy Price','Hope Walker','Dr. Anil Kapoor','Mrs. Helen Ward',
        'Marie-Claire Dubois','Jean-Luc Martin','Ana Sofia dos Santos','Willem van der Berg','Aoife Ní Bhriain',
        'Kemal Aydın','Ivana Horvat','Mihai Popescu','Eleni Papadopoulou','Ji-woo Park','Fernando de la Cruz',
        'Oluwaseun Adebayo','Mariam Al-Sayed','Liesbeth de Jong'] as other_names,
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
        'I cancelled the subscription last month but I was billed again this week, which is not right.',
        'The courier left a card saying nobody was home, but I was in all afternoon waiting for him.',
        'The blender makes a loud grinding noise after two minutes and then the motor stops completely.',
        'Only one of the two chairs was in the delivery, the second box is still missing.',
        'The discount code from your newsletter was not applied at checkout, so I paid the full price.',
        'The headphones stopped charging after a week; the light blinks red and nothing else happens.',
        'Your website says the item is in stock, yet my order has been on backorder for a month.',
        'The parcel locker code in the text message does not open any door at the station.',
        'I returned the jacket in its original packaging and still have not seen the money back on my card.',
        'The size guide on the product page is wrong, the trousers are at least two sizes too small.',
        'The coffee machine leaks water from the bottom every time I use the steam wand.',
        'My gift voucher shows a balance of zero although I have never used it for anything.',
        'The replacement you sent is the same faulty model, with the same broken hinge on the lid.',
        'The app crashes as soon as I open my order history, both on my phone and on the tablet.',
        'Half of the groceries were missing and the frozen food had already thawed when it arrived.',
        'I paid for next day delivery but the package took six working days to reach me.',
        'The warranty card was not in the box, and the shop will not repair the vacuum cleaner without it.',
        'The lamp came without the screws needed to fix it to the wall, so I cannot install it.',
        'The sofa was delivered to the wrong address, a neighbour two streets away signed for it.',
        'Two bottles of olive oil broke in transit and soaked the rest of the order.',
        'Please confirm whether the printer cartridges I ordered are compatible with my old model.',
        'The bank shows the refund as pending for ten days now, can you check what went wrong?',
        'I never received the confirmation e-mail, so I am not sure the order went through at all.',
        'The colour of the curtains is much darker than on the photos in your catalogue.',
        'The monthly plan renewed at a higher price without any notice, I want the old price back.',
        'The driver refused to carry the washing machine upstairs although I paid for that service.',
        'My loyalty points disappeared from the account after the last update of the website.',
        'The mattress smells strongly of chemicals even after airing it for a whole week.',
        'The bike arrived with a bent front wheel and scratches all over the frame.',
        'I tried to book a repair appointment online but the calendar shows no free slots at all.',
        'The kettle switches itself off before the water boils, every single time.',
        'Could you tell me when the winter boots will be back in stock in size forty?',
        'The tracking number you gave me belongs to someone else''s parcel in another country.']
    as sentences,
  array['Hello, my name is {name} and I am writing about order {order}.',
        'Hi team, {name} here, this is about my order {order}.',
        'Dear customer service, I am {name} and I need help with order number {order}.',
        'Good morning, {name} speaking, I placed order {order} on your website two weeks ago.',
        'Hello support, it is {first} {last} again, about the order {order} from last month.',
        'To whom it may concern: I am {name}, and my order {order} has a problem.',
        'Hi, {first} {last} here. I bought something in your online shop, the order number is {order}.',
        'Hey, quick question from {name} about order {order}.',
        'Dear Sir or Madam, I am {name}, a customer for years, writing about order {order}.',
        'Good afternoon, this is {name} regarding my recent purchase (order {order}).',
        'Hello there, my name is {name} and I need help with order {order} please.',
        'hi, {name} again about order {order}, sorry to bother you.']
    as openers,
  array['You can reach me at {email} or call me on {phone} during office hours.',
        'My e-mail is {email} and my mobile number is {phone}, either is fine.',
        'Please reply to {email}; if it is urgent, ring {phone} after six.',
        'Contact details in case you need them: {email}, phone {phone}.',
        'I am easiest to reach by phone on {phone}, otherwise write to {email}.',
        'Send any updates to {email} please, or text me at {phone}.']
    as contacts,
  array['My colleague {other} had the same problem last week.',
        'My neighbour {other} ordered the same thing and got it in two days.',
        'My wife {other} placed a similar order and had no problems at all.',
        '{other} from your call centre promised me a callback that never came.',
        'Your agent {other} told me on the phone that this would be fixed by Friday.',
        'The parcel can also be handed to my flatmate {other} if I am not at home.',
        'I already explained all of this to {other} in the chat yesterday.',
        'My brother {other} says he had to wait a month for his refund as well.']
    as others,
  array['Thank you in advance for your help.', 'I look forward to hearing from you soon.',
        'Please sort this out as soon as possible.', 'I hope we can solve this quickly.',
        'Otherwise I am very happy with your shop.', 'This is the second time this happens to me.',
        'I would appreciate a quick answer.', 'Let me know if you need photos of the damage.',
        'I attached the receipt and two photos.', 'If this is not solved I will have to cancel my account.']
    as closings,
  array['Kind regards, {name}', 'Best wishes,' || chr(10) || '{name}', 'Thanks, {first}', 'Regards, {name}',
        'Many thanks,' || chr(10) || '{name}', 'Cheers, {first}', 'Sincerely, {name}', 'Best, {name}']
    as signoffs;

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
  lateral (select w.first_names[1 + h(i, 1) % cardinality(w.first_names)] as fn,
                  w.last_names[1 + h(i, 2) % cardinality(w.last_names)] as ln,
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

-- Ticket bodies: an opener with the customer's name, two or three of 40 problem sentences, contact
-- details, a second person's name, a closing line and a sign-off with the name again, each part chosen by
-- hash. One
-- ticket in ten is typed in lower case and one in twenty shouts the customer's name, as people write.
insert into support_tickets (id, customer_id, opened_at, subject, body)
select t.i, c.id,
  timestamptz '2019-01-01 00:00:00+00' + (h(t.i, 41) % 180000000) * interval '1 second',
  w.subjects[1 + h(t.i, 42) % 8],
  case when h(t.i, 50) % 10 = 0 then lower(b.body) else b.body end
from words w, generate_series(1, :ntickets) t(i)
  join customers c on c.id = 1 + h(t.i, 40) % :ncust,
  lateral (select case when h(t.i, 51) % 20 = 0 then upper(c.first_name) else c.first_name end as fn,
                  case when h(t.i, 51) % 20 = 0 then upper(c.last_name) else c.last_name end as ln,
                  cardinality(w.sentences) as ns) v,
  lateral (select replace(replace(replace(replace(replace(replace(replace(
    w.openers[1 + h(t.i, 43) % cardinality(w.openers)] || ' '
      || w.sentences[1 + h(t.i, 44) % v.ns] || ' ' || w.sentences[1 + h(t.i, 45) % v.ns] || ' '
      || w.contacts[1 + h(t.i, 46) % cardinality(w.contacts)] || ' '
      || w.others[1 + h(t.i, 47) % cardinality(w.others)] || ' '
      || case when h(t.i, 49) % 2 = 0 then w.sentences[1 + h(t.i, 55) % v.ns] || ' ' else '' end
      || w.closings[1 + h(t.i, 52) % cardinality(w.closings)] || ' '
      || w.signoffs[1 + h(t.i, 53) % cardinality(w.signoffs)],
    '{name}', v.fn || ' ' || v.ln), '{first}', v.fn), '{last}', v.ln),
    '{order}', 'ORD-' || lpad((h(t.i, 48) % 100000)::text, 5, '0')),
    '{email}', c.email), '{phone}', c.phone),
    '{other}', w.other_names[1 + h(t.i, 54) % cardinality(w.other_names)]) as body) b;

select setval(pg_get_serial_sequence('customers', 'id'), :ncust);
select setval(pg_get_serial_sequence('orders', 'id'), :norders);
select setval(pg_get_serial_sequence('support_tickets', 'id'), :ntickets);
drop function h(bigint, int);
drop function luhn(text);
vacuum (freeze, analyze);
