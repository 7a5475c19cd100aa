#!/bin/sh
# fetchmail MDA for the interop checks: stores each message from stdin as DIR/NNN.eml,
# numbered in delivery order (fetchmail delivers one message at a time, in order).
set -eu
dir=$1
n=$(find "$dir" -name '*.eml' | wc -l)
cat > "$dir/$(printf %03d $((n + 1))).eml"
