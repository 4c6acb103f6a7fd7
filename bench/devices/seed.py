#!/usr/bin/env python3
"""The device register at size for bench/devices/run.sh (issue 14: 5,000 devices and 50,000 loan records).

Two phases, around the real import:
  csv   — writes DEVICES devices as the register's CSV (docs/devices.md columns) for `brightline devices import`, so
          devices and their "imported" history rows are written by the app itself. Most are school kit (Chromebooks,
          iPads, laptops, desktops on trolleys and in rooms), some assigned to a member of staff by staff code; a
          few personal devices (approved by a device request) belong to pupils and staff.
  rest  — everything the app writes one action at a time, inserted as the app writes it (the shapes of LoanBook,
          LostPropertyBook, DeviceRequests and Leavers; enum words, Guids and times in each provider's storage form):
          LOANS device_loans over the loan trolleys' devices (one device with a long history), each with its
          loan.out and loan.returned history rows, most returned, some out now, some overdue; class loans and
          loans to adults; FOUND found devices (some closed); REQUESTS device requests in every state (the approved
          ones linked to the personal devices); LEAVERS leaver checklists with their items; and a computing lead's
          portal account (EMAIL / PASSWORD) to sign in with.
Usage: seed.py csv OUT.csv --school ID --devices N  (reads people) | seed.py rest ... (see --help)
"""
import argparse, base64, datetime as dt, hashlib, os, random, struct, subprocess, sys, uuid

p = argparse.ArgumentParser()
p.add_argument("phase", choices=["csv", "rest"])
p.add_argument("provider", choices=["sqlite", "postgres"])
p.add_argument("database")
p.add_argument("--school", required=True)
p.add_argument("--devices", type=int, default=5000)
p.add_argument("--loans", type=int, default=50000)
p.add_argument("--found", type=int, default=60)
p.add_argument("--requests", type=int, default=400)
p.add_argument("--leavers", type=int, default=40)
p.add_argument("--csv")
p.add_argument("--email", default="bench.computing@example.school")
p.add_argument("--password", default="Bench-pages-2026!")
p.add_argument("--out", help="rest: writes the ids the bench's pages need (name TAB value) here")
p.add_argument("--seed", type=int, default=20261202)
a = p.parse_args()
rnd = random.Random(a.seed)
PUPIL, STAFF = 1, 4
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class Sqlite:
    def __init__(self, path):
        import sqlite3
        self.c = sqlite3.connect(path)

    def rows(self, sql, *args):
        cur = self.c.execute(sql.replace("%s", "?"), args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def guid(self):
        return str(uuid.uuid4()).upper()  # EF Core SQLite: Guid as upper-case TEXT

    def true(self, v):
        return None if v is None else (1 if v else 0)

    def time(self, t):
        # DateTimeOffsetToBinaryConverter (BrightlineDbContext): (UtcTicks / 1000) << 11, offset 0.
        if t is None:
            return None
        ticks = (t - dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1) * 10
        return (ticks // 1000) << 11

    def insert_many(self, table, rows):
        if not rows:
            return
        cols = list(rows[0])
        sql = f'INSERT INTO {table} ({",".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({",".join("?" for _ in cols)})'
        self.c.executemany(sql, [tuple(r[c] for c in cols) for r in rows])

    def execute(self, sql, *args):
        self.c.execute(sql.replace("%s", "?"), args)

    def commit(self):
        self.c.commit()

    def analyze(self):
        self.c.execute("ANALYZE")
        self.c.commit()


class Postgres:
    """psql with COPY (no driver needed): NULL is \\N, values as text, PostgreSQL casts them."""

    def __init__(self, conninfo):
        self.conninfo = conninfo
        self.pending = []

    def rows(self, sql, *args):
        for v in args:
            sql = sql.replace("%s", "'" + str(v).replace("'", "''") + "'", 1)
        out = subprocess.run(["psql", self.conninfo, "-X", "-q", "-A", "-F", "\x1f", "-P", "null=\\N", "-P", "footer=off", "-c", sql],
                             check=True, capture_output=True, text=True).stdout.rstrip("\n").split("\n")
        cols = out[0].split("\x1f")
        return [dict(zip(cols, (None if v == "\\N" else v for v in line.split("\x1f")))) for line in out[1:] if line]

    def guid(self):
        return str(uuid.uuid4())

    def true(self, v):
        return None if v is None else ("t" if v else "f")

    def time(self, t):
        return None if t is None else t.isoformat()

    def insert_many(self, table, rows):
        if not rows:
            return
        cols = list(rows[0])
        esc = lambda v: "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        data = "".join("\t".join(esc(r[c]) for c in cols) + "\n" for r in rows)
        self.pending.append((f'COPY {table} ({",".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN', data))

    def execute(self, sql, *args):
        for v in args:
            sql = sql.replace("%s", "'" + str(v).replace("'", "''") + "'", 1)
        self.pending.append((sql, None))

    def analyze(self):
        subprocess.run(["psql", self.conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "ANALYZE"], check=True, text=True, capture_output=True)

    def commit(self):
        script = "BEGIN;\n" + "".join(f"{sql};\n" + (f"{data}\\.\n" if data is not None else "") for sql, data in self.pending) + "COMMIT;\n"
        subprocess.run(["psql", self.conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=script, check=True, text=True, capture_output=True)
        self.pending = []


db = Sqlite(a.database) if a.provider == "sqlite" else Postgres(a.database)
people = db.rows('SELECT "Id","ExternalId","GivenName","FamilyName","KindMask","ClassName","YearGroup","Email" FROM people '
                 'WHERE "SchoolId" = %s AND "LeftOn" IS NULL ORDER BY "ExternalId"', a.school)
staff = [x for x in people if int(x["KindMask"]) & STAFF and not int(x["KindMask"]) & PUPIL]
pupils = [x for x in people if int(x["KindMask"]) & PUPIL]
classes = sorted({x["ClassName"] for x in pupils if x["ClassName"]})
if not staff or not pupils or not classes:
    sys.exit("the demo school has no staff, pupils or classes")
name = lambda x: f'{x["GivenName"]} {x["FamilyName"]}'
uk = lambda t: t.astimezone(dt.timezone(dt.timedelta(0))).strftime("%d/%m/%Y %H:%M")

MODELS = [("chromebook", "Lenovo 300e Chromebook Gen 3", "Chromebook", 40), ("tablet", "Apple iPad (9th generation)", "iPad", 25),
          ("laptop", "Dell Latitude 3440", "Laptop", 18), ("desktop", "HP ProDesk 400 G9", "Desktop", 12), ("camera", "Canon IXUS 185", "Camera", 3),
          ("recorder", "Zoom H1n", "Recorder", 2)]
ROOMS = ["ICT suite", "Library", "Room 1", "Room 2", "Room 3", "Room 4", "Room 5", "Room 6", "Hall", "Staff room", "Office", "SEN base"]

if a.phase == "csv":
    import csv
    weights = [m[3] for m in MODELS]
    with open(a.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["asset_tag", "serial", "kind", "model", "name", "ownership", "state", "person", "class", "location", "device_group", "macs", "notes"])
        personal = max(1, a.devices // 20)
        for i in range(a.devices):
            if i < personal:
                # Personal devices approved by a request (the "rest" phase links the requests): a pupil's or staff member's own.
                owner = rnd.choice(pupils if i % 3 else staff)
                kind = "phone" if i % 2 else "laptop"
                w.writerow(["", f"PSN{i:06d}", kind, "Personal " + kind, f"{name(owner)}'s {kind}", "personal", "in_use", owner["ExternalId"],
                            owner["ClassName"] or "", "", "", f"02:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}:00:01", ""])
                continue
            kind, model, label, _ = rnd.choices(MODELS, weights)[0]
            trolley = kind in ("chromebook", "tablet", "laptop") and i % 3 != 0
            assigned = not trolley and kind == "laptop" and rnd.random() < 0.8
            owner = rnd.choice(staff) if assigned else None
            room = "Trolley " + str(1 + i % 40) if trolley else rnd.choice(ROOMS)
            w.writerow([f"BL-{i:05d}", f"SN{rnd.getrandbits(40):010X}", kind, model, f"{label} {i:05d}", "school",
                        "in_repair" if rnd.random() < 0.01 else "in_use", owner["ExternalId"] if owner else "", "", room,
                        # The example policy's device groups (network rules for managed kit).
                        {"chromebook": "chromebooks", "tablet": "ipads"}.get(kind, ""),
                        f"02:aa:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}:02" if rnd.random() < 0.7 else "", ""])
    print(f"wrote {a.devices} devices to {a.csv}")
    sys.exit(0)

# ---- rest ----
devices = db.rows('SELECT "Id","AssetTag","Name","Kind","Ownership","State","PersonId","Location" FROM devices WHERE "SchoolId" = %s ORDER BY "AssetTag"', a.school)
norm = lambda g: None if g is None else str(g).upper()
loanable = [d for d in devices if (d["Location"] or "").startswith("Trolley") and d["State"] == "in_use"]
if not loanable:
    sys.exit("no loan-trolley devices: run the csv phase and import it first")
actor = a.email

# Loans: one device borrowed far more than the rest (the long history the detail pages are measured on), the rest
# Zipf-like. Each device's loans follow one another (out in the morning, back the same afternoon or the next day).
hot = loanable[0]
counts = {hot["Id"]: min(a.loans // 50, 1000)}
rest_n = a.loans - counts[hot["Id"]]
others = loanable[1:]
w = [1 / (1 + i) ** 0.6 for i in range(len(others))]
total_w = sum(w)
for d, x in zip(others, w):
    counts[d["Id"]] = int(rest_n * x / total_w)
short = a.loans - sum(counts.values())
for d in others[:short]:
    counts[d["Id"]] += 1
adults = staff
loans, history = [], []
open_devices = []
OPEN_SHARE, OVERDUE_SHARE = 0.012, 0.004  # about 100 out now (the long-history device among them), a third overdue
by_id = {d["Id"]: d for d in loanable}
for dev_id, k in counts.items():
    if k == 0:
        continue
    d = by_id[dev_id]
    span = 700 * 24 * 60  # two school years of minutes, ending yesterday
    starts = sorted(rnd.sample(range(span), k))
    is_open = rnd.random() < OPEN_SHARE / (len(loanable) / len(counts)) * 3 or dev_id == hot["Id"]
    for j, m in enumerate(starts):
        out = NOW - dt.timedelta(days=1, minutes=span - m)
        last = j == k - 1
        if last and is_open:
            overdue = rnd.random() < OVERDUE_SHARE / OPEN_SHARE
            out = NOW - dt.timedelta(days=rnd.randint(1, 5), hours=rnd.randint(0, 5)) if overdue else NOW - dt.timedelta(minutes=rnd.randint(10, 300))
            due = out + dt.timedelta(hours=4) if overdue else NOW + dt.timedelta(hours=rnd.randint(1, 6))
            back = None
        else:
            due = out + dt.timedelta(hours=rnd.choice([2, 4, 6, 24]))
            nxt = NOW - dt.timedelta(days=1, minutes=span - starts[j + 1]) if not last else NOW - dt.timedelta(hours=12)
            back = min(out + dt.timedelta(minutes=rnd.randint(30, 60 * 6)), nxt - dt.timedelta(minutes=1))
            if back <= out:
                back = out + dt.timedelta(minutes=1)
        if rnd.random() < 0.65:
            cls, person, who = rnd.choice(classes), None, None
            who = cls
        else:
            adult = rnd.choice(adults)
            cls, person, who = None, adult["Id"], name(adult)
        purpose = rnd.choice(["Lesson", "Phonics", "Reading", "Research", "Assessment", "Club", "Homework catch-up", "Trip"])
        suite = None if back is None else rnd.random() < 0.97
        charged = None if back is None else rnd.random() < 0.9
        loans.append({"SchoolId": a.school, "DeviceId": dev_id, "BorrowerPersonId": person, "BorrowerClass": cls, "Purpose": purpose,
                      "OutAt": db.time(out), "DueAt": db.time(due), "OutBy": actor, "ReturnedAt": db.time(back),
                      "ReturnedBy": None if back is None else actor, "ReturnedToSuite": db.true(suite), "Charged": db.true(charged),
                      "OverdueNotifiedAt": db.time(due + dt.timedelta(minutes=5)) if back is None and due < NOW else None})
        history.append({"SchoolId": a.school, "DeviceId": dev_id, "At": db.time(out), "Action": "loan.out",
                        "Detail": f'Signed out to {who} for "{purpose}", due back {uk(due)}.', "Actor": actor})
        if back is not None:
            history.append({"SchoolId": a.school, "DeviceId": dev_id, "At": db.time(back), "Action": "loan.returned",
                            "Detail": f"Signed back in by {actor}; back in the suite: {'yes' if suite else 'no'}; on charge: {'yes' if charged else 'no'}.",
                            "Actor": actor})
        else:
            open_devices.append(dev_id)
# Chronological insert order, as the app appends them (ids rise with time).
order = sorted(range(len(loans)), key=lambda i: loans[i]["OutAt"])  # both storage forms sort as time does
loans = [loans[i] for i in order]
history.sort(key=lambda h: h["At"])
db.insert_many("device_loans", loans)
db.insert_many("device_history", history)
for dev_id in open_devices:
    db.execute('UPDATE devices SET "State" = %s WHERE "Id" = %s', "on_loan", dev_id)

# Found devices (H15): a device row in custody (or closed: returned to its owner or disposed) with its found_devices row.
found_devices, found, found_history = [], [], []
for i in range(a.found):
    at = NOW - dt.timedelta(days=rnd.randint(0, 400), hours=rnd.randint(0, 8))
    hold = (at + dt.timedelta(days=90)).date()
    closed = hold < NOW.date() and i % 3 != 0
    outcome = (rnd.choice(["returned", "disposed"]) if closed else None)
    kind = rnd.choice(["phone", "tablet", "laptop", "wearable", "removable_media"])
    where = rnd.choice(["Playground", "Hall", "Library", "Field", "Staff room", "Bus bay", "Changing rooms"])
    desc = f"{kind.replace('_', ' ').capitalize()} found {i}"
    fid = db.guid()
    state = "in_custody" if not closed else ("disposed" if outcome == "disposed" else "withdrawn")
    found_devices.append({"Id": fid, "SchoolId": a.school, "AssetTag": None, "Serial": None, "Kind": kind, "Model": desc, "Name": f"Found: {desc}",
                          "Ownership": "unknown", "State": state, "PersonId": None, "ClassName": None, "Location": where, "DeviceGroup": None,
                          "Macs": "", "Notes": None, "CreatedAt": db.time(at), "CreatedBy": actor, "UpdatedAt": db.time(at)})
    found.append({"Id": fid, "SchoolId": a.school, "FoundAt": db.time(at), "FoundWhere": where, "FoundBy": "Lunchtime supervisor", "LoggedBy": actor,
                  "LoggedAt": db.time(at), "CustodianName": "Head of IT", "CustodianUserId": None, "CustodianAt": db.time(at),
                  "HoldUntil": hold.isoformat(), "HoldRule": "bench hold", "DueNotifiedAt": db.time(at + dt.timedelta(days=90)) if hold < NOW.date() else None,
                  "Outcome": outcome, "ClosedAt": db.time(at + dt.timedelta(days=91)) if closed else None, "ClosedBy": actor if closed else None,
                  "ReturnedTo": "Its owner (bench)" if outcome == "returned" else None, "WitnessedBy": "Business manager" if outcome == "disposed" else None,
                  "WipeMethod": "Factory reset" if outcome == "disposed" else None, "WipedBy": actor if outcome == "disposed" else None,
                  "DisposalNote": "WEEE collection" if outcome == "disposed" else None})
    found_history.append({"SchoolId": a.school, "DeviceId": fid, "At": db.time(at), "Action": "found", "Detail": f"Found at {where} by Lunchtime supervisor; logged as lost property.", "Actor": actor})
    found_history.append({"SchoolId": a.school, "DeviceId": fid, "At": db.time(at), "Action": "state.in_custody", "Detail": f"Handed to the Head of IT; held to {hold.strftime('%d/%m/%Y')}.", "Actor": actor})
db.insert_many("devices", found_devices)
db.insert_many("found_devices", found)
db.insert_many("device_history", found_history)

# Device requests (H3): every state; the approved ones are the personal devices the csv phase registered.
personal = [d for d in devices if d["Ownership"] == "personal" and d["PersonId"]]
by_person = {norm(x["Id"]): x for x in people}
requests = []
for i in range(a.requests):
    approved = i < len(personal) and i < a.requests * 0.6
    d = personal[i] if approved else None
    who = by_person.get(norm(d["PersonId"])) if d else rnd.choice(people)
    who = who or rnd.choice(people)
    state = "approved" if approved else rnd.choice(["pending", "pending", "refused", "withdrawn", "expired"])
    at = NOW - dt.timedelta(days=rnd.randint(0, 500), hours=rnd.randint(0, 8))
    pupil = bool(int(who["KindMask"]) & PUPIL)
    decided = state in ("approved", "refused", "expired")
    requests.append({"Id": db.guid(), "SchoolId": a.school, "PersonId": who["Id"], "RequestedByUserId": str(uuid.uuid4()),
                     "RequestedByName": ("Parent of " if pupil else "") + name(who), "RequestedByEmail": who["Email"],
                     "RequestedAs": "parent" if pupil else "self", "Kind": "personal_device",
                     "DeviceKind": (d["Kind"] if d else rnd.choice(["phone", "laptop", "tablet"])), "Description": f"{name(who)}'s device {i}",
                     "MakeModel": "Bench make", "Serial": None, "Macs": "", "Reason": "Needed for lessons (bench).", "Attestations": "encrypted passcode",
                     "AttestedBy": name(who), "Requirement": None, "State": state, "CreatedAt": db.time(at), "DecidedBy": actor if decided else None,
                     "DecidedAt": db.time(at + dt.timedelta(days=1)) if decided else None, "DecisionNote": None,
                     "ExpiresAt": db.time(at + dt.timedelta(days=365)) if state in ("approved", "expired") else None,
                     "DeviceId": d["Id"] if d else None, "RenewsRequestId": None, "RenewalRemindedAt": None})
db.insert_many("device_requests", requests)

# Leaver checklists (C19): staff with an assigned device, some open, some closed, one item per device.
assigned = {}
for d in devices:
    if d["PersonId"] and d["Ownership"] == "school":
        assigned.setdefault(norm(d["PersonId"]), []).append(d)
checklists, items = [], []
leavers = [x for x in staff if norm(x["Id"]) in assigned][: a.leavers]
for i, who in enumerate(leavers):
    cid = db.guid()
    opened = NOW - dt.timedelta(days=rnd.randint(0, 300))
    closed = i % 3 == 0
    checklists.append({"Id": cid, "SchoolId": a.school, "PersonId": who["Id"], "Reason": "leaving" if i % 5 else "long_absence",
                       "StartsOn": (opened + dt.timedelta(days=14)).date().isoformat(), "EndsOn": None, "OpenedAt": db.time(opened), "OpenedBy": actor,
                       "NotifiedAt": db.time(opened), "ClosedAt": db.time(opened + dt.timedelta(days=20)) if closed else None})
    for d in assigned[norm(who["Id"])]:
        items.append({"SchoolId": a.school, "ChecklistId": cid, "Kind": "school_device", "DeviceId": d["Id"], "LoanId": None,
                      "Description": f'{d["Name"]} ({d["AssetTag"]})', "Outcome": "returned" if closed else None, "Note": None,
                      "ClosedAt": db.time(opened + dt.timedelta(days=20)) if closed else None, "ClosedBy": actor if closed else None})
db.insert_many("leaver_checklists", checklists)
db.insert_many("leaver_checklist_items", items)


# The computing lead who signs in (PortalRoles.ComputingLead: the register, loans, found devices, leavers, the API).
def identity_v3(password):
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 32)
    return base64.b64encode(bytes([1]) + struct.pack(">III", 2, 100_000, 16) + salt + key).decode()


uid = str(uuid.uuid4())
db.insert_many('"AspNetUsers"', [{"Id": uid, "DisplayName": "Bench Computing Lead", "CreatedAt": db.time(NOW), "UserName": a.email,
                                  "NormalizedUserName": a.email.upper(), "Email": a.email, "NormalizedEmail": a.email.upper(),
                                  "EmailConfirmed": db.true(True), "PasswordHash": identity_v3(a.password),
                                  "SecurityStamp": base64.b32encode(os.urandom(20)).decode(), "ConcurrencyStamp": str(uuid.uuid4()),
                                  "PhoneNumber": None, "PhoneNumberConfirmed": db.true(False), "TwoFactorEnabled": db.true(False),
                                  "LockoutEnd": None, "LockoutEnabled": db.true(True), "AccessFailedCount": 0}])
db.insert_many("school_memberships", [{"UserId": uid, "SchoolId": a.school, "Role": "computing_lead", "PersonId": None}])
db.commit()
# Fresh statistics, as autovacuum (PostgreSQL) or a long-running school's database would have them: the pages are
# measured at once, and a planner still reading "empty table" from before the bulk insert would measure the seed.
db.analyze()

# The ids the pages are measured on: the long-history device, the adult with the most loans, a late page's number.
busiest = {}
for l in loans:
    if l["BorrowerPersonId"]:
        busiest[l["BorrowerPersonId"]] = busiest.get(l["BorrowerPersonId"], 0) + 1
person = max(busiest, key=busiest.get)
with open(a.out, "w") as f:
    f.write(f"hot_device\t{hot['Id']}\nhot_device_loans\t{counts[hot['Id']]}\nperson\t{person}\nperson_loans\t{busiest[person]}\n"
            f"class\t{classes[0]}\ntag\t{hot['AssetTag']}\n")
print(f"seeded {len(loans)} loans ({len(open_devices)} out now) with {len(history)} history rows over {len(counts)} devices "
      f"(one with {counts[hot['Id']]}), {len(found)} found devices, {len(requests)} device requests, {len(checklists)} leaver checklists "
      f"({len(items)} items); {len(devices) + len(found)} devices in all")
