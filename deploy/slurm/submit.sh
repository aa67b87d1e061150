#!/usr/bin/env bash
# Submits an ersim run as a Slurm job array of N shards, then the merge as a job that
# starts only when every shard has succeeded (--dependency=afterok).
#
#   deploy/slurm/submit.sh [-n N] [-s SHARDS_DIR] [-o OUT_DIR] SCENARIO [ersim run flags...]
#
#   -n N           number of shards (array tasks 0..N-1; default 4)
#   -s SHARDS_DIR  where the shards go (default: shards/<scenario name>; must be shared)
#   -o OUT_DIR     merged results (default: out/<scenario name>)
#
# Prints the array and merge job ids ("ARRAYJOB MERGEJOB") on its last line. ERSIM names
# the ersim binary (default: ersim on PATH; pass an absolute path). Other sbatch options
# go in Slurm's own environment variables (SBATCH_PARTITION, SBATCH_ACCOUNT,
# SBATCH_TIMELIMIT, ...). Logs go to SHARDS_DIR/logs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=4 shards="" out=""
while getopts "n:s:o:h" opt; do
  case $opt in
    n) n=$OPTARG ;;
    s) shards=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ] || ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [-n N] [-s SHARDS_DIR] [-o OUT_DIR] SCENARIO [ersim run flags...]" >&2
  exit 2
fi
scenario=$1
shift
name=$(basename "$scenario" .toml)
shards=${shards:-shards/$name}
out=${out:-out/$name}
# Absolute paths, so the jobs find them wherever Slurm starts them.
[ -e "$scenario" ] && scenario=$(realpath "$scenario")
mkdir -p "$shards/logs" "$(dirname "$out")"
shards=$(realpath "$shards")
out=$(realpath -m "$out")
rm -rf "$shards"/shard-* # shards of an earlier run would not merge with this one
export ERSIM=${ERSIM:-$(command -v ersim || echo ersim)}

arrayjob=$(sbatch --parsable --export=ALL --array="0-$((n - 1))" \
  --output="$shards/logs/shard-%A_%a.out" \
  "$here/ersim-array.sbatch" "$scenario" "$shards" "$@")
arrayjob=${arrayjob%%;*}
mergejob=$(sbatch --parsable --export=ALL --dependency="afterok:$arrayjob" --kill-on-invalid-dep=yes \
  --output="$shards/logs/merge-%j.out" \
  "$here/ersim-merge.sbatch" "$shards" "$out")
mergejob=${mergejob%%;*}
echo "submitted $n shards as array job $arrayjob and the merge as job $mergejob; results in $out"
echo "$arrayjob $mergejob"
