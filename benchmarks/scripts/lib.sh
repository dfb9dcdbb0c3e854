# Pieces the benchmark scripts share. A script sources it:  . "$(dirname "$0")/lib.sh"

# One field of /proc/cpuinfo (the first processor's), e.g. cpuinfo_field 'cpu family'.
cpuinfo_field() {
  grep -m1 "^$1[[:space:]]*:" /proc/cpuinfo | cut -d: -f2 | xargs
}

# The machine as RESULTS names machines: cores, CPU model name, family, model and microcode.
machine_summary() {
  echo "$(nproc) cores, $(cpuinfo_field 'model name'), cpu family $(cpuinfo_field 'cpu family')," \
    "model $(cpuinfo_field model), microcode $(cpuinfo_field microcode)"
}

# train_and_export OUT NAME SEED TRAIN-ARGS...: `./stn train TRAIN-ARGS --seed SEED` into
# OUT/NAME/run (its output in OUT/NAME/train.txt), then `./stn export` to OUT/NAME/model.onnx;
# start and end, with the exit code, logged in OUT/conditions.txt. Skipped when the model exists;
# a training stopped part-way continues from its last checkpoint with --resume, which repeats the
# run exactly; a failure is logged, not retried. Run from the repository root.
train_and_export() {
  local out="$1" name="$2" seed="$3"
  shift 3
  local dir="$out/$name"
  if [[ -f "$dir/model.onnx" ]]; then
    echo "# $name: done before, skipped" | tee -a "$out/conditions.txt"
    return
  fi
  local args=("$@") how=start
  if [[ -f "$dir/run/checkpoint.bin" ]]; then
    args+=(--resume)
    how=resume
    echo "# --resume after an interruption" >> "$dir/train.txt"
  else
    rm -rf "$dir"
    mkdir -p "$dir"
  fi
  echo "# $(date -u +%FT%TZ) $name $how: $*, uptime: $(uptime)" >> "$out/conditions.txt"
  local rc=0
  ./stn train "${args[@]}" --seed "$seed" --no-progress --output "$dir/run" >> "$dir/train.txt" 2>&1 || rc=$?
  if ((rc == 0)); then
    ./stn export --checkpoint "$dir/run/checkpoint.bin" --output "$dir/model.onnx" > "$dir/export.txt" 2>&1 || rc=$?
  fi
  echo "# $(date -u +%FT%TZ) $name end, exit $rc, uptime: $(uptime)" >> "$out/conditions.txt"
}
