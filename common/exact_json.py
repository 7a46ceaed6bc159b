"""Django's JSON serialisation with times kept to the microsecond, for backups.

DjangoJSONEncoder cuts datetimes and times to milliseconds (ECMA-262), so a restored row's timestamp would differ
from the original's (a sign-off's `recorded_at` did, in export_plan). The standard JSON deserialiser reads the full
ISO form back, so archives stay plain `dumpdata` JSON.
"""

import datetime as dt

from django.core.serializers.json import Deserializer as Deserializer  # noqa: PLC0414 (the format's reader)
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
