#!/usr/bin/env python3
"""Trust-scale data for bench/portal/run.sh, written as the files a school would really load.

  gen.py pupils --count N --prefix P --out FILE [--seed S]
      A pupils CSV in the MIS export shape docs/people-import.md describes: Reception to Year 6, classes of
      about 30 named "<year> <tree>", two contacts per pupil (siblings share parents about one time in six),
      start dates spread over seven years. Admission numbers start with P so several files never collide.
  gen.py policy --from FILE --id ID --name NAME --out FILE
      The example policy as another school: its id and name replaced, everything else as written.
Standard library only (PyPI is not reachable here).
"""
import argparse
import csv
import random
import re
import sys

FIRST = ("Amelia Olivia Isla Ava Mia Ivy Lily Freya Florence Willow Grace Sophia Evie Poppy Ella Rosie Harper Sienna "
         "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theo Jack Charlie Freddie Alfie Finley Thomas "
         "Aisha Zara Priya Amir Yusuf Ibrahim Hannah Maya Kai Ethan Jacob Isaac Zoe Chloe Ruby Alice Lucas Max Reuben").split()
LAST = ("Jones Smith Williams Brown Taylor Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker "
        "White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris "
        "Ward Moore King Watson Baker Harrison Morgan Patel Khan Shah Ali Hussain Begum Kaur Singh Ahmed Young Allen").split()
TREES = "Oak Ash Elm Birch Beech Rowan Willow Hazel Maple Cedar Holly Larch Pine Yew Alder Aspen".split()
YEARS = ["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]


def pupils(args):
    rnd = random.Random(args.seed)
    per_year = max(1, args.count // len(YEARS))
    classes_per_year = max(1, round(per_year / 30))
    header = ["Admission No", "UPN", "Legal Forename", "Legal Surname", "Year Group", "Reg Group", "Start Date",
              "Contact 1 Name", "Contact 1 Email", "Contact 1 Relationship",
              "Contact 2 Name", "Contact 2 Email", "Contact 2 Relationship"]
    family = None
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(args.count):
            year = min(len(YEARS) - 1, i // per_year)
            label = "R" if year == 0 else str(year)
            k = (i % per_year) % classes_per_year
            cls = f"{label} {TREES[k % len(TREES)]}{'' if k < len(TREES) else k // len(TREES) + 1}"
            if family is None or rnd.random() > 1 / 6:
                surname = rnd.choice(LAST)
                n = i
                family = (surname,
                          (f"{rnd.choice(FIRST)} {surname}", f"p{args.prefix.lower()}{n}a@parents.example.org", "Mother"),
                          (f"{rnd.choice(FIRST)} {surname}", f"p{args.prefix.lower()}{n}b@parents.example.org", "Father"))
            surname, c1, c2 = family
            start_year = 2026 - (6 - year) - 1 if year > 0 else 2026
            w.writerow([f"{args.prefix}{i:06d}", "", rnd.choice(FIRST), surname, YEARS[year], cls, f"0{rnd.randint(1, 5)}/09/{start_year}",
                        c1[0], c1[1], c1[2], c2[0], c2[1], c2[2]])


def policy(args):
    text = open(args.source, encoding="utf-8").read()
    text, ids = re.subn(r"(?m)^(  id: ).*$", lambda m: m.group(1) + args.id, text, count=1)
    text, names = re.subn(r"(?m)^(  name: ).*$", lambda m: m.group(1) + args.name, text, count=1)
    if ids != 1 or names != 1:
        sys.exit(f"{args.source}: no school id/name line to replace")
    open(args.out, "w", encoding="utf-8").write(text)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="verb", required=True)
    a = sub.add_parser("pupils")
    a.add_argument("--count", type=int, required=True)
    a.add_argument("--prefix", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=20261204)
    b = sub.add_parser("policy")
    b.add_argument("--from", dest="source", required=True)
    b.add_argument("--id", required=True)
    b.add_argument("--name", required=True)
    b.add_argument("--out", required=True)
    args = p.parse_args()
    pupils(args) if args.verb == "pupils" else policy(args)


if __name__ == "__main__":
    main()
