-- How each username reads at a glance (Username.skeleton in common: the same steps, in the same
-- order), so a new name confusable with an existing one (aIice, a1ice beside alice) is refused.
alter table account add column skeleton varchar(32);
update account set skeleton =
    replace(replace(replace(replace(replace(lower(username), '0', 'o'), '1', 'l'), 'i', 'l'), 'rn', 'm'), 'vv', 'w');
create index account_skeleton on account (skeleton);
