-- Issue 18 part 4: the statements /filtering/log sends for "name contains" (Pages/WebFiltering/Log.cshtml.cs,
-- NewestAsync), in the page's order and with its rules, as one PL/pgSQL function so psql can time a whole page:
--   1. the school's (day, name) pairs in dns_decision_names whose name contains the text, within the window's days;
--   2. newest days first, as many days together as share at most 50 matching names, the log rows of exactly those
--      names ("=" for one name, "= ANY" for several) in those days, newest first, until the page (LIMIT) is full;
--      a day matching more than 50 names is read with the text itself ("lower(Name) LIKE").
-- The page sends each statement with parameters; here they are literals (EXECUTE format), so PostgreSQL plans each
-- with the values, as it does for the first executions of a parameterised statement.
CREATE OR REPLACE FUNCTION bench_name_search(school text, q text, since timestamptz, lim int)
RETURNS SETOF dns_decisions LANGUAGE plpgsql AS $$
DECLARE
    max_names constant int := 50;
    mdays date[];
    mnames text[];
    total int;
    p int := 1;
    k int;
    chunk text[];
    day_names text[];
    newest date;
    oldest date;
    got int := 0;
    n int;
    cols constant text := '"Id","SchoolId","At","ClientAddress","PersonId","Name","QueryType","Decision","Category","Profile","Reason"';
    head text;
BEGIN
    SELECT coalesce(array_agg("Day" ORDER BY "Day" DESC), '{}'), coalesce(array_agg("Name"::text ORDER BY "Day" DESC), '{}')
    INTO mdays, mnames
    FROM dns_decision_names
    WHERE "SchoolId" = school AND "Day" >= (since AT TIME ZONE 'Europe/London')::date AND lower("Name") LIKE '%' || q || '%';
    total := cardinality(mdays);
    WHILE p <= total AND got < lim LOOP
        newest := mdays[p];
        chunk := '{}';
        LOOP
            k := p;
            day_names := '{}';
            WHILE k <= total AND mdays[k] = mdays[p] LOOP
                day_names := day_names || mnames[k];
                k := k + 1;
            END LOOP;
            EXIT WHEN cardinality(chunk) > 0 AND (SELECT count(DISTINCT x) FROM unnest(chunk || day_names) x) > max_names;
            chunk := ARRAY(SELECT DISTINCT x FROM unnest(chunk || day_names) x);
            oldest := mdays[p];
            p := k;
            EXIT WHEN p > total OR cardinality(chunk) > max_names;
        END LOOP;
        head := format('SELECT %s FROM dns_decisions WHERE "SchoolId" = %L AND "At" >= %L AND "At" >= %L AND "At" < %L AND ',
            cols, school, since, oldest::timestamp AT TIME ZONE 'Europe/London', (newest + 1)::timestamp AT TIME ZONE 'Europe/London');
        IF cardinality(chunk) > max_names THEN
            RETURN QUERY EXECUTE head || format('lower("Name") LIKE %L ORDER BY "At" DESC, "Id" DESC LIMIT %s', '%' || q || '%', lim - got);
        ELSIF cardinality(chunk) = 1 THEN
            RETURN QUERY EXECUTE head || format('"Name" = %L ORDER BY "At" DESC, "Id" DESC LIMIT %s', chunk[1], lim - got);
        ELSE
            RETURN QUERY EXECUTE head || format('"Name" = ANY (%L::varchar[]) ORDER BY "At" DESC, "Id" DESC LIMIT %s', chunk, lim - got);
        END IF;
        GET DIAGNOSTICS n = ROW_COUNT;
        got := got + n;
    END LOOP;
END
$$;
