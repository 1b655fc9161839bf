"""Apache Spark SQL's answers to the conformance suite's queries (test/sql/).

Usage: python spark_runner.py INPUT.json OUTPUT.json

INPUT: {"tables": {name: {"schema": [[column, spark type], ...], "rows": [{column: value}]}},
        "queries": [{"name", "sql", "params"?}]}
OUTPUT: {name: {"columns": [...], "rows": [[...]]} or {"error": "...", "condition": "..."}}

One Spark session (local[1], session time zone UTC, Spark 4's defaults otherwise: ANSI on) runs
every query. Values come back as tabstream gives them: timestamps as ms since the epoch (a date
as its midnight, UTC), structs as objects, decimals as floats.
"""

import calendar
import datetime
import decimal
import json
import logging
import math
import os
import re
import sys
import tempfile

from pyspark.sql import Row, SparkSession
from pyspark.sql import functions as F

# `$name` is tabstream's named parameter; Spark's is `:name`. Outside quotes only.
NAMED_PARAM = re.compile(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`)|\$([A-Za-z_]\w*)")


def spark_text(sql):
    return NAMED_PARAM.sub(lambda m: m.group(1) or ":" + m.group(2), sql)


def session():
    return (
        SparkSession.builder.master("local[1]")
        .appName("tabstream-sql-conformance")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Small data: one shuffle partition, a small driver, the client compiler only (a run of
        # seconds is over before C2 would pay off).
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )


def register(spark, folder, name, table):
    """The table as a temp view: TIMESTAMP columns arrive as ms and are made timestamps here."""
    schema = table["schema"]
    load = ", ".join(
        f"`{column}` {'BIGINT' if kind == 'TIMESTAMP' else kind}" for column, kind in schema
    )
    # Through Spark's JSON reader, which takes a JSON number for a DOUBLE column (createDataFrame
    # rejects 42 for a double), from a file: no Python worker to start.
    path = os.path.join(folder, f"{name}.jsonl")
    with open(path, "w", encoding="utf-8") as file:
        file.writelines(json.dumps(row) + "\n" for row in table["rows"])
    frame = spark.read.schema(load).json(path)
    frame = frame.select(
        *[
            F.timestamp_millis(F.col(c)).alias(c) if kind == "TIMESTAMP" else F.col(c)
            for c, kind in schema
        ]
    )
    frame.createOrReplaceTempView(name)


def plain(value):
    """A value of a collected row, as tabstream gives it (and as JSON holds it)."""
    if isinstance(value, Row):
        return {k: plain(v) for k, v in value.asDict(recursive=False).items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        # Naive, in the session's time zone (UTC; the process runs with TZ=UTC too).
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return calendar.timegm(value.timetuple()) * 1000 + value.microsecond // 1000
    if isinstance(value, datetime.date):
        return calendar.timegm(value.timetuple()) * 1000
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(milliseconds=1)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN nor Infinity
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


def run(spark, query):
    params = query.get("params")
    try:
        if params is None:
            frame = spark.sql(spark_text(query["sql"]))
        else:
            frame = spark.sql(spark_text(query["sql"]), args=params)
        rows = frame.collect()
        return {"columns": frame.columns, "rows": [[plain(v) for v in row] for row in rows]}
    except Exception as error:  # noqa: BLE001 - every error is an answer: "Spark rejects it"
        condition = getattr(error, "getCondition", lambda: None)()
        # A Java exception PySpark does not wrap says only which call failed; the JVM says why.
        java = getattr(error, "java_exception", None)
        message = str(java.toString() if java is not None else error).strip().splitlines()
        return {"error": message[0] if message else type(error).__name__, "condition": condition}


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as file:
        given = json.load(file)
    spark = session()
    spark.sparkContext.setLogLevel("OFF")
    # Every error is an answer here: PySpark need not log each one with its Java stack.
    logging.getLogger("SQLQueryContextLogger").disabled = True
    try:
        with tempfile.TemporaryDirectory() as folder:
            for name, table in given["tables"].items():
                register(spark, folder, name, table)
            answers = {query["name"]: run(spark, query) for query in given["queries"]}
    finally:
        spark.stop()
    with open(target, "w", encoding="utf-8") as file:
        json.dump(answers, file)


if __name__ == "__main__":
    main()
