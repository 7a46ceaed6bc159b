"""kpis_import: write what a workbook holds, all or nothing, reporting what changed and every problem by cell.

A dry run (the preview) walks the same rules on objects it never saves, so it writes nothing at all rather
than writing and rolling back. Keys are the objects themselves (`id()`), as new ones have no primary key yet.
"""

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.spreadsheets import Problem
from common.spreadsheets.uploads import checksum, upload_applied

from ..models import Indicator, KpiImport, Section, Target, Value
from ..rules import Basis, Polarity, Unit, add_months, months_between, value_problem
from .benchmarks import BenchmarkWriter
from .matching import normalise, read_polarity
from .result import ImportResult
from .workbook import file_bytes, read_workbook_bytes

EARLIEST, LATEST = dt.date.min, dt.date.max
NEW_POLARITY_NOTICE = (
    "{count} new indicator(s) have no polarity yet (neither higher nor lower is better): give it in the file "
    '(a "Polarity" or "Good is" column: higher or lower) or set it in the admin, so that their colour and '
    "direction of travel can be judged."
)


def _choice(choices, text):
    """A choice's value from its value or its label, as people write either."""
    wanted = normalise(str(text))
    for value, label in choices.choices:
        if wanted in (normalise(value), normalise(label)):
            return value
    return None


def guess_unit(name: str) -> Unit:
    lowered = name.lower()
    if "%" in lowered or "percent" in lowered or "proportion" in lowered:
        return Unit.PERCENT
    if "rate" in lowered or "per 10" in lowered or "10k" in lowered:
        return Unit.RATE_10K
    if "days" in lowered:
        return Unit.DAYS
    if "weeks" in lowered:
        return Unit.WEEKS
    return Unit.COUNT


def kpis_import(
    *, file: BinaryIO | str | Path, dry_run: bool = False, user: AbstractBaseUser | None = None
) -> ImportResult:
    """Import a KPI workbook. A dry run does the same work and reports the same counts, and writes nothing.

    Raises ImportFileError when the file as a whole cannot be read; problems in single cells are
    reported as warnings with their sheet and cell, and those cells are left alone.
    """
    name, content = file_bytes(file)
    return kpis_import_bytes(content=content, name=name, dry_run=dry_run, user=user)


def kpis_import_bytes(
    *,
    content: bytes,
    name: str,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    record: KpiImport | None = None,
) -> ImportResult:
    """kpis_import for bytes already in hand; an import (not a dry run) is kept in `record` or a new KpiImport."""
    contents = read_workbook_bytes(content, name=name)
    result = ImportResult(dry_run=dry_run, problems=list(contents.problems))
    if dry_run:
        _Writer(contents, result, user, save=False).write()
        return result
    with transaction.atomic():
        _Writer(contents, result, user, save=True).write()
        record = record or KpiImport(
            file_name=name[:255], checksum=checksum(content), size=len(content), created_by=user
        )
        record.created_count = sum(result.created.values())
        record.updated_count = sum(result.updated.values())
        record.unchanged_count = sum(result.unchanged.values())
        record.skipped_count = result.skipped
        record.warnings = result.warnings
        upload_applied(record)
        record.full_clean()
        record.save()
    result.record = record
    return result


class _Writer(BenchmarkWriter):
    def __init__(self, contents, result, user, *, save):
        self.contents = contents
        self.result = result
        self.user = user
        self.save = save  # False: a preview, every object built and compared but none saved
        self.indicators = {}
        self.targets = {}  # {id(indicator): [its targets]}
        self.indicator_keys = None  # {indicator_key: [indicators]}, read once when a benchmark row needs it

    def warn(self, ref, message):
        self.result.problems.append(Problem.at(ref, message))

    def write(self):
        self.write_indicators()
        self.write_values()
        self.load_targets()
        for cell in self.contents.targets:
            self.write_target_range(cell)
        for cell in self.contents.target_columns:
            self.write_target_column(cell)
        self.write_benchmarks()

    def created(self, instance):
        if self.save:
            instance.save()
        return instance

    def updated(self, instance, fields):
        if self.save:
            instance.save(update_fields=fields)

    # Sections and indicators -------------------------------------------------------------------

    def write_indicators(self):
        rows = {}
        for row in self.contents.indicators:
            merged = rows.setdefault(normalise(row.name), {"row": row, "section": row.section, "details": {}})
            if row.details:
                merged["details"].update(row.details)
                merged["section"] = row.section
        sections = {normalise(s.name): s for s in Section.objects.all()}
        next_section = max((s.position for s in sections.values()), default=0)
        existing = {normalise(i.name): i for i in Indicator.objects.all()}
        by_code = {i.code: i for i in existing.values()}
        next_position = max((i.position for i in existing.values()), default=0)
        new_without_polarity = 0
        for key, merged in rows.items():
            section = sections.get(normalise(merged["section"]))
            if section is None:
                next_section += 1
                section = self.created(Section(name=merged["section"], position=next_section))
                sections[normalise(section.name)] = section
                self.result.created["sections"] += 1
            fields = {"section": section, **self.detail_fields(merged["details"])}
            code = fields.get("code")
            indicator = existing.get(key) or (by_code.get(code) if code else None)
            if indicator is None:
                next_position += 1
                unit = fields.setdefault("unit", guess_unit(merged["row"].name))
                fields.setdefault("decimal_places", 0 if unit == Unit.COUNT else 1)
                indicator = self.created(Indicator(name=merged["row"].name, position=next_position, **fields))
                new_without_polarity += indicator.polarity == Polarity.NEITHER and "polarity" not in fields
                self.result.created["indicators"] += 1
            else:
                changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
                if changed:
                    for name in changed:
                        setattr(indicator, name, fields[name])
                    self.updated(indicator, changed)
                    self.result.updated["indicators"] += 1
                else:
                    self.result.unchanged["indicators"] += 1
            self.indicators[key] = indicator
        if new_without_polarity:
            self.result.notices.append(NEW_POLARITY_NOTICE.format(count=new_without_polarity))

    def detail_fields(self, details):
        fields = {}
        for name, choices in (("unit", Unit), ("polarity", Polarity), ("basis", Basis)):
            if name in details:
                text, ref = details[name]
                value = _choice(choices, text)
                if value is None and name == "polarity":
                    value = read_polarity(text)  # "higher", "Good is low"
                if value is None:
                    allowed = ", ".join(label for _value, label in choices.choices)
                    self.warn(ref, f'"{text}" is not a {name} ({allowed})')
                else:
                    fields[name] = value
        if "decimal_places" in details:
            raw, ref = details["decimal_places"]
            try:
                places = int(str(raw).strip())
                if not 0 <= places <= 4:
                    raise ValueError
                fields["decimal_places"] = places
            except ValueError:
                self.warn(ref, f'"{raw}" is not a number of decimal places (0 to 4)')
        for name in ("code", "definition", "source", "owner"):
            if name in details:
                fields[name] = details[name][0]
        return fields

    def indicator_for(self, name, ref):
        indicator = self.indicators.get(normalise(name))
        if indicator is None:
            indicator = Indicator.objects.filter(name__iexact=" ".join(name.split())).first()
            if indicator is None:
                self.warn(ref, f'there is no indicator called "{name}"; it is ignored')
                return None
            self.indicators[normalise(name)] = indicator
        return indicator

    # Values ------------------------------------------------------------------------------------

    def write_values(self):
        indicator_ids = {indicator.pk for indicator in self.indicators.values() if indicator.pk}
        existing = {
            (value.indicator_id, value.period): value for value in Value.objects.filter(indicator__in=indicator_ids)
        }
        seen, to_create, to_update = {}, [], []
        for cell in self.contents.values:
            indicator = self.indicator_for(cell.indicator, cell.ref)
            if indicator is None:
                continue
            key = (id(indicator), cell.month)
            if key in seen:
                self.warn(cell.ref, f'{cell.month:%b %Y} of "{indicator.name}" is also given at {seen[key]}; '
                                    "the first is kept")  # fmt: skip
                continue
            seen[key] = cell.ref
            number, words = cell.reading.number, cell.reading.words
            if number is not None and (problem := value_problem(number, unit=indicator.unit)):
                self.warn(cell.ref, f"{indicator.format_number(number)} {problem}")
                continue
            value = existing.get((indicator.pk, cell.month)) if indicator.pk else None
            if value is None:
                to_create.append(
                    Value(
                        indicator=indicator,
                        period=cell.month,
                        value=number,
                        missing_reason=words,
                        note=cell.note,
                        updated_by=self.user,
                    )
                )
            elif (value.value, value.missing_reason, value.note) != (number, words, cell.note or value.note):
                value.value, value.missing_reason, value.note = number, words, cell.note or value.note
                value.updated_by = self.user
                to_update.append(value)
            else:
                self.result.unchanged["values"] += 1
        if self.save:
            Value.objects.bulk_create(to_create, batch_size=500)
            # bulk_update skips auto_now, so the time of the change is set here.
            now = dt.datetime.now(tz=dt.UTC)
            for value in to_update:
                value.updated_at = now
            Value.objects.bulk_update(
                to_update, ["value", "missing_reason", "note", "updated_by", "updated_at"], batch_size=500
            )
        self.result.created["values"] += len(to_create)
        self.result.updated["values"] += len(to_update)

    # Targets -----------------------------------------------------------------------------------

    def load_targets(self):
        saved = {indicator.pk: indicator for indicator in self.indicators.values() if indicator.pk}
        self.targets = {id(indicator): [] for indicator in self.indicators.values()}
        for target in Target.objects.filter(indicator__in=saved):
            self.targets[id(saved[target.indicator_id])].append(target)

    def targets_of(self, indicator):
        if id(indicator) not in self.targets:
            self.targets[id(indicator)] = list(indicator.targets.all()) if indicator.pk else []
        return self.targets[id(indicator)]

    def write_target_range(self, cell):
        indicator = self.indicator_for(cell.indicator, cell.ref)
        if indicator is not None:
            self.set_target(indicator, cell.start, cell.end, cell.reading, cell.tolerance, cell.ref)

    def write_target_column(self, cell):
        """A Target column says what the target was for the months of its table, and after them until changed."""
        indicator = self.indicator_for(cell.indicator, cell.ref)
        if indicator is None:
            return
        targets = self.targets_of(indicator)
        number, words = cell.reading.number, cell.reading.words
        in_force = [Target.in_force(targets, month) for month in months_between(cell.start, cell.end)]
        if all(t is not None and t.value == number and t.text == words for t in in_force):
            self.result.unchanged["targets"] += 1
            return
        earlier = any((t.period_start or EARLIEST) < cell.start for t in targets)
        later = any((t.period_start or EARLIEST) > cell.end for t in targets)
        start = cell.start if earlier else None
        end = cell.end if later else None
        self.set_target(indicator, start, end, cell.reading, None, cell.ref)

    def set_target(self, indicator, start, end, reading, tolerance, ref):
        """Make `reading` the target from `start` to `end` (None: open), trimming or splitting the steps it overlaps."""
        number, words = reading.number, reading.words
        if number is not None and (problem := value_problem(number, unit=indicator.unit)):
            self.warn(ref, f"the target {indicator.format_number(number)} {problem}")
            return
        if start and end and end < start:
            self.warn(ref, "the target's last month is before its first; it is ignored")
            return
        targets = self.targets_of(indicator)
        for target in targets:
            same = (target.period_start, target.period_end, target.value, target.text) == (start, end, number, words)
            if same and (tolerance is None or tolerance == target.amber_tolerance):
                self.result.unchanged["targets"] += 1
                return
        low, high = start or EARLIEST, end or LATEST
        for target in list(targets):
            target_low, target_high = target.period_start or EARLIEST, target.period_end or LATEST
            if target_high < low or target_low > high:
                continue
            if tolerance is None:
                tolerance = target.amber_tolerance
            if low <= target_low and target_high <= high:
                if self.save:
                    target.delete()
                targets.remove(target)
            elif target_low < low and target_high > high:
                after = Target(
                    indicator=indicator,
                    period_start=add_months(high, 1),
                    period_end=target.period_end,
                    value=target.value,
                    amber_tolerance=target.amber_tolerance,
                    text=target.text,
                )
                targets.append(self.created(after))
                target.period_end = add_months(low, -1)
                self.updated(target, ["period_end"])
            elif target_low < low:
                target.period_end = add_months(low, -1)
                self.updated(target, ["period_end"])
            else:
                target.period_start = add_months(high, 1)
                self.updated(target, ["period_start"])
            self.result.updated["targets"] += 1
        targets.append(
            self.created(
                Target(
                    indicator=indicator,
                    period_start=start,
                    period_end=end,
                    value=number,
                    text=words,
                    amber_tolerance=tolerance or 0,
                )
            )
        )
        targets.sort(key=lambda t: t.period_start or EARLIEST)
        self.result.created["targets"] += 1
