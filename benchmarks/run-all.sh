#!/usr/bin/env bash
# Runs every benchmark behind BENCHMARKS.md, one after the other (they must not share the 2 cores), and writes the
# outputs to benchmarks/results/. Build first: mvn -B -ntp -DskipTests package
# About 45 minutes on a 2-core machine: the comparison ~22 min (5 systems x 3 rounds, each a JVM with 3 warm-up
# phases and the measured one), the scale run ~8 min, JMH ~12 min.
# Set WATCHES, ROUNDS, SCHEDULE to change the comparison; SCALE_WATCHES, SCALE_RAMP the scale run.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=benchmarks/results
WATCHES=${WATCHES:-2000}
ROUNDS=${ROUNDS:-3}
SCHEDULE=${SCHEDULE:-200ms,2,2s}
SCALE_WATCHES=${SCALE_WATCHES:-100000}
SCALE_RAMP=${SCALE_RAMP:-60s}
mkdir -p "$OUT"
{
  date -u +"date: %Y-%m-%dT%H:%M:%SZ"
  echo "nproc: $(nproc)"
  java -version 2>&1 | head -3
  git rev-parse HEAD 2>/dev/null | sed 's/^/commit: /' || true
} > "$OUT/machine.txt"

uptime >> "$OUT/machine.txt"
java -cp "$JAR" dev.taskwatch.benchmarks.PeerComparison --watches "$WATCHES" --rounds "$ROUNDS" --schedule "$SCHEDULE" \
  > "$OUT/peer-comparison.md" 2> "$OUT/peer-comparison.log"
uptime >> "$OUT/machine.txt"
# A scale run that runs out of heap ends with an error (its log says how far it got); the other benchmarks still run.
java -cp "$JAR" dev.taskwatch.benchmarks.PeerComparison --scale --watches "$SCALE_WATCHES" --ramp "$SCALE_RAMP" \
  --histogram > "$OUT/scale.md" 2> "$OUT/scale.log" \
  || echo "scale run failed (exit $?): see $OUT/scale.log" | tee -a "$OUT/scale.md"
uptime >> "$OUT/machine.txt"
java -cp "$JAR" dev.taskwatch.benchmarks.RequestEfficiency --tasks 5000 --out "$OUT" \
  > /dev/null 2> "$OUT/request-efficiency.log"
java -jar "$JAR" "CodecBenchmark|WatcherBenchmark|SimulatorBenchmark" -prof gc -rf text -rff "$OUT/jmh.txt" \
  > "$OUT/jmh.log" 2>&1
uptime >> "$OUT/machine.txt"
echo "done: $OUT"
