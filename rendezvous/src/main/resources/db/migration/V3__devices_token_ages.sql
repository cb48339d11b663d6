-- Failed-login counters are kept per username (any client) and per known device: the key widens
-- to hold "device:" and a token hash.
alter table login_failure alter column username_key set data type varchar(100);

-- Devices that logged in before (OWASP's "device cookie"): the token is stored only as its SHA-256.
-- Their own wrong passwords lock them; other clients' failures do not.
create table device_token (
    token_hash   varchar(64) primary key,
    username_key varchar(32) not null references account (username_key) on delete cascade,
    created_at   bigint      not null
);
create index device_token_account on device_token (username_key, created_at);

-- Session tokens expire by age and by disuse.
alter table session_token add column last_used_at bigint;
update session_token set last_used_at = created_at;
