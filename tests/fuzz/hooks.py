"""Teaches schemathesis the API's cross-field rules that JSON Schema cannot state (tests/fuzz/schemathesis.toml
loads this file). Each filter drops only generated cases that break the rule, so the checks keep their
full force on everything else."""

import schemathesis


@schemathesis.hook("filter_query").apply_to(name="GET /api/products")
def price_range_in_order(context, query):
    # The listing refuses minPrice above maxPrice (422, naming minPrice).
    query = query or {}
    low, high = query.get("minPrice"), query.get("maxPrice")
    if isinstance(low, str) and isinstance(high, str) and low.isdigit() and high.isdigit():
        return int(low) <= int(high)
    return True


@schemathesis.hook("filter_body").apply_to(name_regex="^POST /api/checkout(/quote)?$")
def no_made_up_saved_address(context, body):
    # `delivery.addressId` names an address in the shopper's book (422 otherwise), which a made-up id cannot.
    delivery = body.get("delivery") if isinstance(body, dict) else None
    return not (isinstance(delivery, dict) and isinstance(delivery.get("addressId"), str))
