#!/usr/bin/env python3
"""Generate the golden fixtures Tests/LinkageTests/Golden/{tokens,clks}.json.

The Swift Linkage module must reproduce these bit for bit. Reference libraries (pin them):
    python3 -m venv /tmp/linkvenv && /tmp/linkvenv/bin/pip install openlinktoken==2.2.1 clkhash==0.17.0
    /tmp/linkvenv/bin/python scripts/linkage/generate_golden.py
Deterministic: a fixed seed; only the AES-GCM IVs of the encrypted tokens are random (the Swift
test decrypts them, it does not re-encrypt).
"""
import importlib.metadata as md
import json
import os
import random
import sys

from openlinktoken.tokens.token import Token
from openlinktoken.tokens.token_definition import TokenDefinition
from openlinktoken.tokens.token_generator import TokenGenerator
from openlinktoken.tokens.tokenizer.sha256_tokenizer import SHA256Tokenizer
from openlinktoken.tokentransformer.encrypt_token_transformer import EncryptTokenTransformer
from openlinktoken.tokentransformer.hash_token_transformer import HashTokenTransformer
from clkhash import schema as clkschema
from clkhash.clk import generate_clks
from clkhash.serialization import serialize_bitarray

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LinkageTests", "Golden")
HASHING_SECRET = "curepath-golden-hashing-secret"
PARTNER_KEY = "0123456789abcdef0123456789abcdef"  # 32 bytes, AES-256
CLK_SECRET = "curepath-golden-clk-secret"

GIVEN = ["José", "Zoë", "Mary Ann", "Dr. William", "Bill", "Élodie", "Ségolène", "Øyvind", "Łukasz", "John Jr.",
         "Robert J.", "Anne-Marie", "Li", "Al", "unknown", "  Maria  ", "Jean-Luc", "O'Brien", "Mrs. Kate", "Christopher",
         "Ana María", "Björn", "Sven III", "Ng", "Test", "Æsa", "François", "Mike", "Catherine", "Chloé"]
FAMILY = ["Müller", "O'Connor", "García-López", "Smith Jr.", "Ng", "Li", "Ó", "Nguyen", "Van der Berg", "D'Angelo",
          "Øster", "Straße", "Łódź", "Johnson III", "X", "Patient", "Brown", "Abe", "Eo", "Świątek", "McDonald",
          "Lee", "Kowalski", "Dupont", "Smith"]
SEX = ["M", "F", "male", "Female", "m", "f", " M ", "X", "", "unknown"]
ZIP = ["02139", "10001-1234", "941031234", "021", "9410", "12345", "00012", "55555", "60614", " 30301 ", ""]


def date_variants(rng):
    y, m, d = rng.randint(1915, 2015), rng.randint(1, 12), rng.randint(1, 28)
    forms = [f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}/{m:02d}/{d:02d}", f"{m:02d}/{d:02d}/{y:04d}",
             f"{m:02d}-{d:02d}-{y:04d}", f"{d:02d}.{m:02d}.{y:04d}", f"{y:04d}-{m:02d}-{d:02d}T10:20:30Z",
             f"{y:04d}-{m:02d}-{d:02d}T10:20:30.123+05:00", f"{m}/{d}/{y}", "1905-01-01", "2000-02-30", ""]
    return rng.choice(forms)


def tokens_fixture():
    rng = random.Random(6)
    gen = TokenGenerator(TokenDefinition(), SHA256Tokenizer([HashTokenTransformer(HASHING_SECRET)]))
    enc = EncryptTokenTransformer(PARTNER_KEY)
    people = []
    for i in range(300):
        rec = {"givenName": rng.choice(GIVEN), "familyName": rng.choice(FAMILY), "birthDate": date_variants(rng),
               "sex": rng.choice(SEX), "postalCode": rng.choice(ZIP)}
        attrs = {"FirstName": rec["givenName"], "LastName": rec["familyName"], "BirthDate": rec["birthDate"],
                 "Sex": rec["sex"], "PostalCode": rec["postalCode"]}
        res = gen.get_all_tokens_via_field_id(attrs)
        sigs = gen.get_all_token_signatures_via_field_id(attrs)
        tokens = {k: v for k, v in res.tokens.items() if v != Token.BLANK and k != "T4"}
        people.append({"record": rec, "signatures": {k: sigs[k] for k in tokens}, "tokens": tokens,
                       "encryptedT3": enc.transform(tokens["T3"]) if "T3" in tokens else None})
    return {"library": "openlinktoken", "version": md.version("openlinktoken"), "hashingSecret": HASHING_SECRET,
            "partnerKey": PARTNER_KEY, "people": people}


def schema_variants():
    base = json.load(open(os.path.join(os.path.dirname(clkschema.__file__), "data", "randomnames-schema.json")))
    out = {"randomnames-doubleHash": base}
    blake = json.loads(json.dumps(base))
    for f in blake["features"][1:]:
        f["hashing"].pop("hash")  # clkhash's default: blakeHash
    out["randomnames-blake-default"] = blake
    mixed = json.loads(json.dumps(base))
    mixed["clkConfig"]["xor_folds"] = 1
    mixed["clkConfig"]["kdf"] = {"type": "HKDF", "hash": "SHA512", "keySize": 32}
    mixed["features"][1]["hashing"]["strategy"] = {"bitsPerFeature": 200}
    mixed["features"][1]["hashing"]["hash"] = {"type": "doubleHash", "prevent_singularity": True}
    mixed["features"][2]["hashing"]["hash"] = {"type": "blakeHash"}
    mixed["features"][2]["hashing"]["strategy"] = {"bitsPerToken": 40}
    mixed["features"][3]["hashing"]["comparison"] = {"type": "exact"}
    out["mixed-folds-sha512-exact"] = mixed
    return out


def clks_fixture():
    rng = random.Random(7)
    rows = []
    for i in range(200):
        name = f"{rng.choice(GIVEN).strip()} {rng.choice(FAMILY)}"
        y, m, d = rng.randint(1920, 2010), rng.randint(1, 12), rng.randint(1, 28)
        rows.append([str(i), name, f"{y:04d}/{m:02d}/{d:02d}", rng.choice(["M", "F"])])
    schemas = schema_variants()
    cases = []
    for name, sj in schemas.items():
        s = clkschema.from_json_dict(sj)
        clks = generate_clks(rows, s, CLK_SECRET, validate=True, max_workers=1)
        cases.append({"name": name, "schema": sj, "clks": [serialize_bitarray(c) for c in clks]})
    # The registry schema as the Swift module ships it, fed the rows the Swift module builds.
    registry = json.load(open(os.path.join(os.path.dirname(__file__), "registry-schema.json")))
    reg_rows = [[r[1].split(" ")[0].upper(), r[1].split(" ", 1)[1].upper().replace(" ", ""), r[2].replace("/", ""), r[3], rng.choice(["02139", "60614", ""])] for r in rows]
    s = clkschema.from_json_dict(registry)
    cases.append({"name": "registry", "schema": registry, "rows": reg_rows,
                  "clks": [serialize_bitarray(c) for c in generate_clks(reg_rows, s, CLK_SECRET, validate=True, max_workers=1)]})
    return {"library": "clkhash", "version": md.version("clkhash"), "secret": CLK_SECRET, "rows": rows, "cases": cases}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for fname, fn in [("tokens.json", tokens_fixture), ("clks.json", clks_fixture)]:
        with open(os.path.join(OUT, fname), "w") as f:
            json.dump(fn(), f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("wrote", fname, file=sys.stderr)
