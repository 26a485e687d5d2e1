#!/usr/bin/env bash
# Runs every benchmark behind BENCHMARKS.md, one after the other (they must not share the 2 cores), and writes the
# outputs to benchmarks/results/. Build first: mvn -B -ntp -DskipTests package
# About 20 minutes on a 2-core machine. Set WATCHES, ROUNDS to change the comparison's size.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=benchmarks/results
WATCHES=${WATCHES:-1000}
ROUNDS=${ROUNDS:-3}
mkdir -p "$OUT"
{
  date -u +"date: %Y-%m-%dT%H:%M:%SZ"
  echo "nproc: $(nproc)"
  java -version 2>&1 | head -3
  git rev-parse HEAD 2>/dev/null | sed 's/^/commit: /' || true
} > "$OUT/machine.txt"

uptime >> "$OUT/machine.txt"
java -cp "$JAR" dev.taskwatch.benchmarks.PeerComparison --watches "$WATCHES" --rounds "$ROUNDS" \
  > "$OUT/peer-comparison.md" 2> "$OUT/peer-comparison.log"
java -cp "$JAR" dev.taskwatch.benchmarks.PeerComparison --scale \
  > "$OUT/scale.md" 2> "$OUT/scale.log"
java -cp "$JAR" dev.taskwatch.benchmarks.RequestEfficiency --tasks 5000 --out "$OUT" \
  > /dev/null 2> "$OUT/request-efficiency.log"
java -jar "$JAR" "CodecBenchmark|WatcherBenchmark|SimulatorBenchmark" -prof gc -rf text -rff "$OUT/jmh.txt" \
  > "$OUT/jmh.log" 2>&1
uptime >> "$OUT/machine.txt"
echo "done: $OUT"
