"""The API's JSON reader: numbers as exact decimals, never floats."""

import json
from decimal import Decimal

from ninja.parser import Parser


def _refuse_constant(name):
    # NaN and Infinity are not JSON; Python's reader takes them unless told otherwise.
    raise ValueError(f"{name} is not allowed")


class BodyNotObject(ValueError):
    """Valid JSON, but not the object every body of this API is."""


class DecimalJsonParser(Parser):
    """`12.30` stays 12.30: JSON numbers are read as Decimal (an int too, so a number of
    thousands of digits is no error of Python's int conversion limit)."""

    def parse_body(self, request):
        data = json.loads(
            request.body,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_refuse_constant,
        )
        if not isinstance(data, dict):
            # ninja's schemas read attributes of any object: a list would be "fields missing".
            raise BodyNotObject(type(data).__name__)
        return data
