"""What the operator of a night reads: one line per message the steps write, with the time, and
none of Dagster's own engine events (step started, output handled, ...) unless asked for.

Runs started from the command line use it (`run_nightly`); Dagster's UI keeps its full log."""

from __future__ import annotations

import logging
import sys

from dagster import Field, InitLoggerContext, logger

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
DATE_FORMAT = "%H:%M:%S"


class _StepMessages(logging.Filter):
    """Keeps what step code wrote; Dagster's engine events only when `verbose`."""

    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(record, "dagster_meta", None) or {}
        if meta.get("dagster_event") is not None and not self.verbose:
            return False
        message = meta.get("orig_message", record.getMessage())
        step = meta.get("step_key")
        record.msg = f"[{step}] {message}" if self.verbose and step else message
        record.args = ()
        return True


class NotDagsterRecords(logging.Filter):
    """Drops records Dagster already handed to the run's loggers (they carry its metadata)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not hasattr(record, "dagster_meta")


def operator_handler(level: int) -> logging.Handler:
    """The console handler of the command line, for its own lines and the run's."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT, DATE_FORMAT))
    handler.setLevel(level)
    return handler


@logger(
    config_schema={"verbose": Field(bool, default_value=False)},
    description="One line per step message at INFO; every engine event too when verbose.",
)
def operator_logger(init_context: InitLoggerContext) -> logging.Logger:
    verbose = init_context.logger_config["verbose"]
    level = logging.DEBUG if verbose else logging.INFO
    night = logging.Logger("ccw.operator", level=level)
    handler = operator_handler(level)
    handler.addFilter(_StepMessages(verbose))
    night.addHandler(handler)
    return night
