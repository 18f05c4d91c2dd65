-- Security (issue 3): API clients and the keys that sign IVS tokens. Both are small reference
-- tables (DESIGN D5), read by primary key.

-- A client authenticates either with an IVS secret (secret_hash set, issuer null) or with
-- assertions from a trusted external issuer (issuer set, no secret). It is granted environments
-- ('*' = all) and roles. Revocation keeps the row, so a revoked id cannot silently come back.
create table api_client (
    client_id    text primary key,
    -- A slow hash in Spring Security's delegating form ('{bcrypt}$2a$10$...'), never the secret.
    secret_hash  text,
    issuer       text,
    environments text[] not null,
    roles        text[] not null,
    description  text not null default '',
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    check ((secret_hash is null) <> (issuer is null)),
    check (cardinality(environments) > 0),
    check (cardinality(roles) > 0)
);

-- Signing keys as JSON Web Keys (private part included). The newest key without retired_at
-- signs; a retired key still verifies until verify_until, when every token it signed has
-- expired, and is deleted after that.
create table signing_key (
    kid          text primary key,
    algorithm    text not null,
    jwk          text not null,
    created_at   timestamptz not null default now(),
    retired_at   timestamptz,
    verify_until timestamptz
);
