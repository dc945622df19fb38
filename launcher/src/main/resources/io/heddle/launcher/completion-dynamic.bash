
# ---------------------------------------------------------------------------------------------
# Heddle: task ids and workspace names complete from the live server.
# Where a word names a task (task show|edit|enable|disable|run|resume|rm TASK, runs TASK,
# run show TASK) or a workspace (--workspace WS, workspace rename|use WS), the candidates come
# from `heddle __complete tasks|workspaces`, which asks the running server and prints nothing
# when none runs. Every other word is completed by picocli's function above.
# ---------------------------------------------------------------------------------------------
function _heddle_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD-1]}
  local kind="" workspace="" skip="" i w
  local words=()
  for (( i=1; i<COMP_CWORD; i++ )); do
    w=${COMP_WORDS[i]}
    if [[ -n $skip ]]; then
      [[ $skip == --workspace ]] && workspace=$w
      skip=""
      continue
    fi
    case $w in
      --) words+=("--"); break ;;
      --workspace|--name|--runner|--config|--timeout|--continuation|--every|--task|--limit|-n|--lines|--topic) skip=$w ;;
      -*) ;;
      *) words+=("$w") ;;
    esac
  done
  if [[ $prev == --workspace ]]; then
    kind=workspaces
  elif [[ $cur != -* ]]; then
    case "${words[*]}" in
      "task show"|"task edit"|"task enable"|"task disable"|"task run"|"task resume"|"task rm"|"runs"|"run show")
        kind=tasks ;;
      "workspace rename"|"workspace use")
        kind=workspaces ;;
    esac
  fi
  if [[ -n $kind ]]; then
    local IFS=$'\n'
    local candidates
    if [[ -n $workspace && $kind == tasks ]]; then
      candidates=$("${COMP_WORDS[0]}" __complete "$kind" --workspace "$workspace" 2>/dev/null)
    else
      candidates=$("${COMP_WORDS[0]}" __complete "$kind" 2>/dev/null)
    fi
    COMPREPLY=( $(compgen -W "$candidates" -- "$cur") )
    return 0
  fi
  _complete_heddle "$@"
}

complete -F _heddle_complete -o default heddle heddle.sh heddle.bash
