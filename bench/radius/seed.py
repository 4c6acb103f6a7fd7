#!/usr/bin/env python3
"""Portal accounts for bench/radius/run.sh: USERS people with network accounts in the demo school.

The demo seeder (brightline serve, first start) makes the example school with a few hundred people in groups and
with their agreements signed (or not) as a real school's are. This copies them — each copy keeps its template's
kind, year group, class and signatures (a pupil's parent signature still names the parent) — until there are USERS
people, and gives each a portal account with its own password, as PortalTestKit.CreateUserAsync does, stored the
way ASP.NET Identity stores it (format V3: PBKDF2-HMAC-SHA512, 100,000 iterations, 16-byte salt, 32-byte key).
Hashing thousands of passwords at full cost takes minutes, so HASHES distinct passwords are hashed and shared
round-robin; every check still costs the full 100,000 iterations.

Writes the Brightline users (user, password, Called-Station-Id) and the same users in FreeRADIUS's `files`
format (cleartext passwords, the same VLAN reply) for the peer run.
Usage: seed.py sqlite DB_PATH | postgres CONNINFO  --school ID --users N --hashes H --out DIR
"""
import argparse, base64, hashlib, os, random, struct, subprocess, sys, uuid

p = argparse.ArgumentParser()
p.add_argument("provider", choices=["sqlite", "postgres"])
p.add_argument("database")
p.add_argument("--school", required=True)
p.add_argument("--users", type=int, default=3000)
p.add_argument("--hashes", type=int, default=200)
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=20261202)
a = p.parse_args()
rnd = random.Random(a.seed)

PUPIL, STAFF, GOVERNOR, STUDENT, SUPPLY = 1, 4, 8, 64, 128
# The example policy's networks (policies/example.yaml): pupils on pupil-wifi, adults on staff-wifi.
PUPIL_SSID, STAFF_SSID = "Example-Pupils", "Example-Staff"
VLANS = {"R": 20, "1": 20, "2": 20, "3": 21, "4": 21, "5": 21, "6": 21}


def identity_v3(password: str) -> str:
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 32)
    return base64.b64encode(bytes([1]) + struct.pack(">III", 2, 100_000, 16) + salt + key).decode()


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
        return 1 if v else 0

    def insert_many(self, table, rows):
        if not rows:
            return
        cols = list(rows[0])
        sql = f'INSERT INTO {table} ({",".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({",".join("?" for _ in cols)})'
        self.c.executemany(sql, [tuple(r[c] for c in cols) for r in rows])

    def commit(self):
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
        return "t" if v else "f"

    def insert_many(self, table, rows):
        if not rows:
            return
        cols = list(rows[0])
        esc = lambda v: "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        data = "".join("\t".join(esc(r[c]) for c in cols) + "\n" for r in rows)
        self.pending.append((f'COPY {table} ({",".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN', data))

    def commit(self):
        script = "BEGIN;\n" + "".join(f"{sql};\n{data}\\.\n" for sql, data in self.pending) + "COMMIT;\n"
        subprocess.run(["psql", self.conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=script, check=True, text=True, capture_output=True)
        self.pending = []


db = Sqlite(a.database) if a.provider == "sqlite" else Postgres(a.database)
templates = db.rows('''SELECT * FROM people p WHERE p."SchoolId" = %s AND p."LeftOn" IS NULL
                       AND EXISTS (SELECT 1 FROM signatures s WHERE s."PersonId" = p."Id") ORDER BY p."ExternalId"''', a.school)
templates = [t for t in templates if int(t["KindMask"]) & (PUPIL | STAFF | GOVERNOR | STUDENT | SUPPLY)]
if not templates:
    sys.exit("no signed pupils or staff in the demo school")
signatures = {}
for s in db.rows('SELECT * FROM signatures WHERE "SchoolId" = %s', a.school):
    signatures.setdefault(str(s["PersonId"]).upper(), []).append(s)

passwords = [f"bench-{rnd.getrandbits(64):016x}" for _ in range(a.hashes)]
hashes = [identity_v3(pw) for pw in passwords]

people, sigs, users, members, lines, peer = [], [], [], [], [], []
for i in range(a.users):
    t = templates[i % len(templates)]
    pid = db.guid()
    person = dict(t)
    person.update({"Id": pid, "ExternalId": f"bench-{i:06d}", "FamilyName": f'{t["FamilyName"]}-{i}',
                   "Email": f'bench{i:06d}.{t["GivenName"].lower()}@example.school'})
    people.append(person)
    for s in signatures.get(str(t["Id"]).upper(), []):
        copy = dict(s)
        copy.update({"Id": db.guid(), "PersonId": pid})
        if str(s["SignerId"]).upper() == str(t["Id"]).upper():
            copy["SignerId"] = pid
        sigs.append(copy)
    uid = str(uuid.uuid4())
    email = person["Email"]
    users.append({"Id": uid, "DisplayName": f'{t["GivenName"]} {person["FamilyName"]}', "CreatedAt": t["CreatedAt"],
                  "UserName": email, "NormalizedUserName": email.upper(), "Email": email, "NormalizedEmail": email.upper(),
                  "EmailConfirmed": db.true(True), "PasswordHash": hashes[i % a.hashes],
                  "SecurityStamp": base64.b32encode(os.urandom(20)).decode(), "ConcurrencyStamp": str(uuid.uuid4()),
                  "PhoneNumber": None, "PhoneNumberConfirmed": db.true(False), "TwoFactorEnabled": db.true(False),
                  "LockoutEnd": None, "LockoutEnabled": db.true(True), "AccessFailedCount": 0})
    kind = int(t["KindMask"])
    members.append({"UserId": uid, "SchoolId": a.school, "Role": "pupil" if kind & PUPIL else "staff", "PersonId": pid})
    pupil = bool(kind & PUPIL)
    called = f'02-00-00-00-{i % 256:02X}-01:{PUPIL_SSID if pupil else STAFF_SSID}'
    lines.append(f"{email}\t{passwords[i % a.hashes]}\t{called}")
    vlan = VLANS.get(t["YearGroup"] or "", 20) if pupil else 30
    peer.append(f'"{email}" Cleartext-Password := "{passwords[i % a.hashes]}"\n'
                f'\tTunnel-Type = VLAN, Tunnel-Medium-Type = IEEE-802, Tunnel-Private-Group-Id = "{vlan}",\n'
                f'\tSession-Timeout = 43200, Termination-Action = Default\n')

db.insert_many("people", people)
db.insert_many("signatures", sigs)
db.insert_many('"AspNetUsers"', users)
db.insert_many("school_memberships", members)
db.commit()
os.makedirs(a.out, exist_ok=True)
rnd.shuffle(lines)  # the cold pass goes through them in this order: pupils and staff mixed, as devices rejoin
with open(os.path.join(a.out, "users.tsv"), "w") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(a.out, "peer-users"), "w") as f:
    f.write("".join(peer))
print(f"seeded {a.users} accounts from {len(templates)} signed pupils and staff, {len(sigs)} signatures, {a.hashes} password hashes")
