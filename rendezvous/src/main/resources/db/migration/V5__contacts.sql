-- Standing consent (contacts): once one user consented to the other's getaddress, the pair stays
-- contacts until either side stops it (stopprivate) or blocks the other. The pair is unordered and
-- stored once, the lower account key (Java's String order) as first_key.
create table contact (
    first_key  varchar(32) not null references account (username_key) on delete cascade,
    second_key varchar(32) not null references account (username_key) on delete cascade,
    created_at bigint      not null,
    primary key (first_key, second_key)
);
create index contact_second on contact (second_key);
