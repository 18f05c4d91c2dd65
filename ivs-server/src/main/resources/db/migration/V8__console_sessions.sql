-- Web console sessions (Spring Session JDBC, spring.session.jdbc.table-name = console_session).
-- Sessions live in PostgreSQL so that any instance behind a load balancer serves any signed-in
-- operator (DESIGN D4). Layout: Spring Session's schema-postgresql.sql with the project's names.
-- Reference tables under Citus: small, not on the inventory hot path.
create table console_session (
    primary_id            char(36) not null,
    session_id            char(36) not null,
    creation_time         bigint not null,
    last_access_time      bigint not null,
    max_inactive_interval int not null,
    expiry_time           bigint not null,
    principal_name        varchar(100),
    constraint console_session_pk primary key (primary_id)
);

create unique index console_session_ix1 on console_session (session_id);
create index console_session_ix2 on console_session (expiry_time);
create index console_session_ix3 on console_session (principal_name);

create table console_session_attributes (
    session_primary_id char(36) not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea not null,
    constraint console_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint console_session_attributes_fk foreign key (session_primary_id)
        references console_session (primary_id) on delete cascade
);
