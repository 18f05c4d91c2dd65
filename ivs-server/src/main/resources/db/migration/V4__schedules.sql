-- On-hand change schedules (spec part A): dated, uncommitted changes per record, physical measure
-- and UTC date. They never change on-hand; ATP queries project them over the schedule period.
create table onhand_schedule (
    product_key   uuid not null,
    record_key    text not null,
    measure       text not null,
    schedule_date date not null,
    quantity      numeric not null,
    primary key (product_key, record_key, measure, schedule_date),
    foreign key (product_key, record_key) references onhand_record (product_key, record_key)
        on delete cascade
);
