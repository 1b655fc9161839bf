"""Counts tabstream's clicks per page with Spark Structured Streaming, read from Kafka.

The tabstream sink ships each browser's log to Kafka through an HTTP produce API: one record per
event, keyed as in the browser's log, the value the event's JSON plus `_id`
(`<browser log id>:<topic>:<partition>:<offset>`), unique and stable. The sink delivers at least
once (a retry after a lost answer sends a record again), so this job drops the records whose `_id`
it has seen: the counts are then exactly once.

Two queries over the same topics:
- per page and 1-minute event-time window (`window(ts, "1 minute")`), with a watermark;
- per page over all time, the figures `tabstream.counts()` shows in one browser, here for all.

Run on a cluster (see README.md):
    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.13:4.2.0 \
        page_counts.py --bootstrap-servers broker:9092
`--once` reads what the topics hold now (`trigger(availableNow=True)`), then prints the counts
as one JSON line and exits: what the tests use.
"""

import argparse
import json
import tempfile

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

# A click as src/tracker/events.ts defines it (ClickEvent), plus the sink's `_id`. Fields that
# are not here are ignored by from_json; a field here missing from a record is null.
CLICK = StructType(
    [
        StructField("_id", StringType()),
        StructField("v", IntegerType()),
        StructField("type", StringType()),
        StructField("ts", LongType()),  # ms since the epoch
        StructField("pageviewId", StringType()),
        StructField("page", StringType()),
        StructField("sessionId", StringType()),
        StructField("tabId", StringType()),
        StructField("target", StringType()),
        StructField("selector", StringType()),
        StructField("tag", StringType()),
        StructField("id", StringType()),
        StructField("classes", StringType()),
        StructField("role", StringType()),
        StructField("label", StringType()),
        StructField("x", DoubleType()),
        StructField("y", DoubleType()),
        StructField("clientX", DoubleType()),
        StructField("clientY", DoubleType()),
        StructField("vw", IntegerType()),
        StructField("vh", IntegerType()),
        StructField("button", IntegerType()),
        StructField("modifiers", StringType()),
        StructField("keyboard", BooleanType()),
        StructField("outbound", BooleanType()),
        StructField("download", BooleanType()),
        StructField("rage", BooleanType()),
        StructField("dead", BooleanType()),
    ]
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap-servers", required=True, help="Kafka's host:port[,…]")
    parser.add_argument("--topics", default="clicks", help="comma-separated (default: clicks)")
    parser.add_argument(
        "--starting-offsets", default="earliest", help="earliest (default) or latest"
    )
    parser.add_argument(
        "--watermark",
        default="1 hour",
        help="how late (event time) a click may arrive and still count; one that arrives later,"
        " from a device offline longer, is dropped (default: 1 hour)",
    )
    parser.add_argument("--checkpoint", help="a checkpoint dir (default: a temp dir)")
    parser.add_argument(
        "--once",
        action="store_true",
        help="count what the topics hold now, print it as JSON and exit",
    )
    return parser.parse_args()


def clicks(spark, args):
    """The deduplicated clicks: one row per `_id`, with `event_time` from `ts`."""
    records = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap_servers)
        .option("subscribe", args.topics)
        .option("startingOffsets", args.starting_offsets)
        .load()
    )
    events = (
        records.select(F.from_json(F.col("value").cast("string"), CLICK).alias("e"))
        .select("e.*")
        .where(F.col("type") == "click")
        .withColumn("event_time", F.timestamp_millis("ts"))
    )
    # A duplicate is the same event sent again: equal `_id`, and so equal `ts`. With the event
    # time among the keys, the watermark lets Spark forget an `_id` once no copy can still come.
    return events.withWatermark("event_time", args.watermark).dropDuplicates(
        ["_id", "event_time"]
    )


def per_window(deduped):
    return deduped.groupBy(F.window("event_time", "1 minute"), "page").count()


def all_time(deduped):
    return deduped.groupBy("page").count()


def run_once(spark, args, checkpoint):
    """Both queries over what the topics hold now; returns {"pages": …, "windows": […]}."""
    pages = {}
    windows = {}

    def collect_pages(batch, _):
        for row in batch.collect():
            pages[row["page"]] = row["count"]

    def collect_windows(batch, _):
        for row in batch.collect():
            windows[(row["window"]["start"].isoformat(), row["page"])] = row["count"]

    queries = [
        frame(clicks(spark, args))
        # complete: every batch has the whole table, also with a checkpoint of an earlier run
        .writeStream.outputMode("complete")
        .foreachBatch(collect)
        .option("checkpointLocation", f"{checkpoint}/{name}")
        .trigger(availableNow=True)
        .start()
        for name, frame, collect in (
            ("pages", all_time, collect_pages),
            ("windows", per_window, collect_windows),
        )
    ]
    for query in queries:
        query.awaitTermination()
    return {
        "pages": pages,
        "windows": [
            {"start": start, "page": page, "count": count}
            for (start, page), count in sorted(windows.items())
        ],
    }


def run_forever(spark, args, checkpoint):
    """Both queries, printed to the console after every micro-batch, until stopped."""
    for name, frame in (("windows", per_window), ("pages", all_time)):
        (
            frame(clicks(spark, args))
            .writeStream.outputMode("update")
            .format("console")
            .option("truncate", "false")
            .option("checkpointLocation", f"{checkpoint}/{name}")
            .queryName(name)
            .start()
        )
    spark.streams.awaitAnyTermination()


def main():
    args = parse_args()
    spark = (
        SparkSession.builder.appName("tabstream-page-counts")
        # Windows in UTC whatever the machine's zone, as `ts` is.
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    with tempfile.TemporaryDirectory(prefix="page-counts-") as temp:
        checkpoint = args.checkpoint or temp
        if args.once:
            print(json.dumps(run_once(spark, args, checkpoint)), flush=True)
        else:
            run_forever(spark, args, checkpoint)
    spark.stop()


if __name__ == "__main__":
    main()
