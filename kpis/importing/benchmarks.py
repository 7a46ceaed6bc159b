"""Writing a workbook's benchmarks: each row matched to an indicator by name, code or a similar name, each
column to a comparator group however it is spelled; every match that is not exact is listed for the preview."""

from ..models import Benchmark, ComparatorGroup, Indicator
from .matching import closest_indicator, group_key, indicator_key, normalise

MATCHED_BY_CODE = "{ref}: benchmark row “{name}” is the indicator with the code {code}, “{indicator}”"
MATCHED_BY_NAME = "{ref}: benchmark row “{name}” read as the indicator “{indicator}” (a similar name)"
SAME_GROUP = "{ref}: comparator group “{name}” read as “{group}” (the same group spelled another way)"


class BenchmarkWriter:
    """The benchmark part of the import's writer (service._Writer), which holds the state it reads."""

    indicator_keys: dict | None = None  # {indicator_key: [indicators]}, read once when a benchmark row needs it

    def benchmark_indicator_for(self, name, ref):
        """A benchmark row's indicator: by its name, else by its code, else by a similar name (said in the
        preview for the admin to confirm); benchmarking tables copy national data's names, not ours."""
        key = normalise(name)
        indicator = self.indicators.get(key) or Indicator.objects.filter(name__iexact=" ".join(name.split())).first()
        how = ""
        if indicator is None:
            indicator = Indicator.objects.filter(code__iexact=name.strip()).first()
            how = MATCHED_BY_CODE
        if indicator is None:
            if self.indicator_keys is None:
                self.indicator_keys = {}
                known = {i.pk or id(i): i for i in [*Indicator.objects.all(), *self.indicators.values()]}
                for candidate in known.values():
                    self.indicator_keys.setdefault(indicator_key(candidate.name), []).append(candidate)
            indicator = closest_indicator(name, self.indicator_keys)
            how = MATCHED_BY_NAME
        if indicator is None:
            self.warn(ref, f'there is no indicator called "{name}"; it is ignored')
            return None
        if how and key not in self.indicators:
            self.result.matches.append(how.format(ref=ref, name=name, indicator=indicator.name, code=indicator.code))
        self.indicators[key] = indicator
        return indicator

    # Benchmarks --------------------------------------------------------------------------------

    def write_benchmarks(self):
        if not self.contents.benchmarks:
            return
        groups = {normalise(group.name): group for group in ComparatorGroup.objects.all()}
        next_position = max((group.position for group in groups.values()), default=0)
        existing = {
            (b.indicator_id, b.group_id, b.year): b
            for b in Benchmark.objects.filter(indicator__in=[i.pk for i in self.indicators.values() if i.pk])
        }
        seen = set()
        # "Statistical Neighbours", "Stat neighbours" and "SN" are one group: the first spelling found is kept.
        by_key = {group_key(group.name): group for group in groups.values()}
        told = set()
        for cell in self.contents.benchmarks:
            indicator = self.benchmark_indicator_for(cell.indicator, cell.ref)
            if indicator is None:
                continue
            group = groups.get(normalise(cell.group))
            if group is None and (group := by_key.get(group_key(cell.group))) is not None:
                groups[normalise(cell.group)] = group
                if cell.group not in told:
                    told.add(cell.group)
                    self.result.matches.append(SAME_GROUP.format(ref=cell.ref, name=cell.group, group=group.name))
            if group is None:
                next_position += 1
                group = self.created(ComparatorGroup(name=cell.group, is_own=cell.is_own, position=next_position))
                groups[normalise(group.name)] = group
                by_key.setdefault(group_key(group.name), group)
                self.result.created["comparator groups"] += 1
            elif cell.is_own and not group.is_own:
                group.is_own = True
                self.updated(group, ["is_own"])
                self.result.updated["comparator groups"] += 1
            key = (id(indicator), id(group), cell.year)
            if key in seen:
                self.warn(cell.ref, f"{group.name} {cell.year} is given twice for “{indicator.name}”; "
                                    "the first is kept")  # fmt: skip
                continue
            seen.add(key)
            benchmark = existing.get((indicator.pk, group.pk, cell.year)) if indicator.pk and group.pk else None
            if benchmark is None:
                self.created(Benchmark(indicator=indicator, group=group, year=cell.year, value=cell.reading.number))
                self.result.created["benchmarks"] += 1
            elif benchmark.value != cell.reading.number:
                benchmark.value = cell.reading.number
                self.updated(benchmark, ["value"])
                self.result.updated["benchmarks"] += 1
            else:
                self.result.unchanged["benchmarks"] += 1
