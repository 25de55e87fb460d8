"""Teaches schemathesis the API's rules that JSON Schema cannot state (tests/fuzz/schemathesis.toml loads
this file). Case-level hooks, because those are the ones every phase applies (the coverage phase skips
the per-part ones such as filter_body). A filter drops only generated cases that break its rule, so the
checks keep their full force on everything else."""

import re
import uuid

import schemathesis


@schemathesis.hook("filter_case").apply_to(name="GET /api/products")
def price_range_in_order(context, case):
    # The listing refuses minPrice above maxPrice (422, naming minPrice).
    query = case.query if isinstance(case.query, dict) else {}
    low, high = query.get("minPrice"), query.get("maxPrice")
    if isinstance(low, str) and isinstance(high, str) and low.isdigit() and high.isdigit():
        return int(low) <= int(high)
    return True


@schemathesis.hook("filter_case").apply_to(name_regex="^POST /api/checkout(/quote)?$")
def no_made_up_saved_address(context, case):
    # `delivery.addressId` names an address in the shopper's book (422 otherwise), which a made-up id cannot.
    delivery = case.body.get("delivery") if isinstance(case.body, dict) else None
    return not (isinstance(delivery, dict) and isinstance(delivery.get("addressId"), str))


# The header's rule as the document states it (web/src/http/idempotency-key.ts).
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


@schemathesis.hook("map_case")
def one_idempotency_key_per_request(context, case):
    # A client picks a new Idempotency-Key for every action; the same key with another request is refused
    # (422, as the IETF draft has it). The generator reuses values across cases, so a valid key becomes a
    # fresh valid one; an invalid key, which the case is testing, stays as it is.
    key = case.headers.get("idempotency-key") if case.headers else None
    if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key):
        case.headers["idempotency-key"] = uuid.uuid4().hex
    return case
