from django import template

from billing.money import rmb_capitals, yuan

register = template.Library()


@register.filter(name="yuan")
def yuan_filter(value):
    """12345.6 -> 12,345.60 (empty for None)."""
    return "" if value is None else yuan(value)


@register.filter(name="capitals")
def capitals_filter(value):
    """The amount in Chinese capitals (大写)."""
    return "" if value is None else rmb_capitals(value)
