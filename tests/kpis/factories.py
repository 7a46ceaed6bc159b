"""Small factories for the KPI domain."""

import datetime as dt
from decimal import Decimal

import factory

from kpis.models import Benchmark, ComparatorGroup, Indicator, Section, Target, Value
from kpis.rules import Polarity, Unit


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"% of things done in time {n}")
    unit = Unit.PERCENT
    decimal_places = 1
    polarity = Polarity.HIGHER
    position = factory.Sequence(lambda n: n)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal(80)
    amber_tolerance = Decimal(5)


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    period = dt.date(2018, 7, 1)
    value = Decimal(50)


class ComparatorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparatorGroup
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Comparator {n}")


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    indicator = factory.SubFactory(IndicatorFactory)
    group = factory.SubFactory(ComparatorGroupFactory)
    year = 2017
    value = Decimal(50)
