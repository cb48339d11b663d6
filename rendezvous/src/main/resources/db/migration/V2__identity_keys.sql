-- Each user's node identity key (Ed25519, base64 SubjectPublicKeyInfo), as last announced.
alter table account add column identity_key varchar(100);

-- The key each user was last introduced to for each other user, to warn when it changes.
create table identity_seen (
    viewer_key   varchar(32)  not null references account (username_key) on delete cascade,
    subject_key  varchar(32)  not null references account (username_key) on delete cascade,
    identity_key varchar(100) not null,
    primary key (viewer_key, subject_key)
);
