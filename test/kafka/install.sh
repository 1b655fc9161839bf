#!/usr/bin/env bash
# Fetches the real systems that test/kafka/harness.test.mjs runs, into a cache that outlives the
# clone: Apache Kafka's jars and the Spark Kafka source's jars (Maven Central, ./pom.xml) and
# pyspark (PyPI, in a venv). Idempotent: each part is skipped when its stamp says it is there.
# Prints the cache dir on its last line. Needs java (17+), mvn and python3 on the PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${TABSTREAM_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tabstream-kafka}"
# The versions, read from the pom so that there is one place to bump them.
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$here/pom.xml")"
mkdir -p "$cache"
# One install at a time: two test runs of one machine (CI runs two clones at once) share the cache.
exec 9>"$cache/.lock"
flock 9
start=$SECONDS

# A tool is needed only for what is missing: a machine with the cache needs no mvn nor pip.
need() { command -v "$1" >/dev/null || { echo "install.sh: $1 is not on the PATH" >&2; exit 1; }; }
need java

# $1 the directory, $2 what must be in its stamp; true when it is already there.
fresh() { [ -f "$1/.stamp" ] && [ "$(cat "$1/.stamp")" = "$2" ]; }

# $1 the profile, $2 the directory: the profile's runtime jars, copied by Maven.
copy_jars() {
  need mvn
  rm -rf "$2.tmp"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" -P "$1" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$2.tmp"
  rm -rf "$2" && mv "$2.tmp" "$2"
}

if ! fresh "$cache/kafka-libs" "kafka_2.13 $kafka_version"; then
  echo "install.sh: Apache Kafka $kafka_version from Maven Central…"
  copy_jars kafka "$cache/kafka-libs"
  echo "kafka_2.13 $kafka_version" > "$cache/kafka-libs/.stamp"
fi

if ! fresh "$cache/spark-libs" "spark-sql-kafka-0-10_2.13 $spark_version"; then
  echo "install.sh: spark-sql-kafka-0-10_2.13 $spark_version from Maven Central…"
  copy_jars spark "$cache/spark-libs"
  echo "spark-sql-kafka-0-10_2.13 $spark_version" > "$cache/spark-libs/.stamp"
fi

# pyspark's version must be the connector's: Spark loads the source into its own classes.
if ! fresh "$cache/venv" "pyspark $spark_version"; then
  echo "install.sh: pyspark $spark_version from PyPI…"
  need python3
  rm -rf "$cache/venv"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q --disable-pip-version-check "pyspark==$spark_version"
  echo "pyspark $spark_version" > "$cache/venv/.stamp"
fi

echo "install.sh: ready in $((SECONDS - start)) s"
echo "$cache"
