#!/usr/bin/env bash
# Builds the rendezvous server as a native executable with GraalVM or Mandrel.
# The native binary targets PostgreSQL (--db-url): H2 is not supported inside a native image.
set -euo pipefail
cd "$(dirname "$0")"

native_image=""
if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  native_image="$GRAALVM_HOME/bin/native-image"
elif command -v native-image >/dev/null 2>&1; then
  native_image="$(command -v native-image)"
fi

if [ -z "$native_image" ]; then
  echo "native-build.sh: no GraalVM/Mandrel 'native-image' found (set GRAALVM_HOME or put native-image on PATH)." >&2
  echo "native-build.sh: nothing was built. The JVM build is: ./mvnw package" >&2
  exit 1
fi

echo "Using $native_image"
./mvnw -B package -Dnative -DskipTests -pl common,rendezvous -am \
  "$@"
echo "Built: $(ls rendezvous/target/*-runner)"
