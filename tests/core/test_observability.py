from __future__ import annotations

import json
import logging

from coopac_core.observability import JsonFormatter, request_id_var


def test_log_lines_are_json_with_the_request_id() -> None:
    token = request_id_var.set("req-log-1")
    try:
        record = logging.LogRecord(
            "coopac.test", logging.INFO, __file__, 1, "hola %s", ("mundo",), None
        )
        record.status = 201
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hola mundo"
    assert line["request_id"] == "req-log-1"
    assert line["status"] == 201
    assert line["level"] == "INFO"
