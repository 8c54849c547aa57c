/**
 * The pod watchdog while the orchestrator lives: a POSIX `sh` loop, so the process users keep on
 * every run costs under 2 MB of RSS, most of it libc pages shared with other processes, instead of
 * a Node runtime (~45 MB). It reads the orchestrator's lines
 * (`? PODID`, `+ PGID START PODID`, `! PODID`, `- PGID`, `bye`) and keeps only what is still true:
 * the groups that are running and the pods whose spawn has not returned, as the lines that say so.
 * So its memory follows the pods alive now, not how many restarts a long run had.
 *
 * `bye` ends it without reaping. End of input without `bye` means the orchestrator died abruptly
 * (the pipe reports EOF only once every holder of its write end is gone or has exec'd, so a pod
 * forked in that instant already carries its ORCHESTRATOR_POD_ID). Then it `exec`s the Node reaper
 * (watchdog.ts) with what it kept as the reaper's stdin, in the same line protocol: the reaper merges
 * it with the state file and decides what is verifiably ours (reap-plan.ts), so that check exists
 * once, in tested TypeScript, and Node costs memory only in the seconds after a crash.
 *
 * It keeps its own copy, not only the state file, because the file may fail to be written (full or
 * read-only disk) and must then not leave a pod unguarded.
 *
 * A string rather than a file shipped next to the build: it runs from any tsc output (dist/, a
 * benchmark's --outDir) and cannot go missing, which would leave every pod silently unguarded.
 *
 * Notes on the shell. Every list starts with a newline and ends each line with one, so
 * `"$nl+ $1 "` matches one whole key, never the tail of another pgid or id; patterns are quoted, so
 * an id is matched literally. Groups are spread over 101 lists by the pgid's last two digits
 * (`g00`…`g99`, `g` for one digit) so that a change scans about 1/100 of them and the shell keeps
 * up with a burst of thousands of starts (behind a full pipe the orchestrator's lines would wait in
 * its own memory, where its death loses them, leaving only the state file). Pending spawns are at
 * most a few at a time (each is bracketed within one call), so they share one list. A line cut
 * short by the orchestrator's death is dropped, as the reaper would. Its variables are unset first,
 * so none inherited from the environment is exported, grown, to the reaper. The terminal's signals
 * are the orchestrator's to handle: the watchdog runs in its own session, which the terminal does
 * not signal, and ignores HUP, INT and TERM besides (exec resets that; the reaper ignores them again
 * once it has loaded). If the node binary the orchestrator ran from is gone (upgraded away), `node`
 * on PATH reaps.
 */
export const WATCHDOG_SCRIPT: string = `trap '' HUP INT TERM
unset nl spawning g k list rest groups x y op a b c
nl='
'
spawning=$nl
g=$nl
for x in 0 1 2 3 4 5 6 7 8 9; do for y in 0 1 2 3 4 5 6 7 8 9; do eval "unset g$x$y; g$x$y=\\$nl"; done; done
forget_spawn() {
  case $spawning in *"$nl? $1$nl"*) spawning=\${spawning%%"$nl? $1$nl"*}$nl\${spawning#*"$nl? $1$nl"} ;; esac
}
bucket() {
  case $1 in ''|*[!0-9]*) return 1 ;; esac
  k=g\${1#"\${1%??}"}
  eval "list=\\$$k"
  case $list in *"$nl+ $1 "*) rest=\${list#*"$nl+ $1 "}; list=\${list%%"$nl+ $1 "*}$nl\${rest#*"$nl"} ;; esac
}
while IFS=' ' read -r op a b c; do
  case $op in
    bye) exit 0 ;;
    '?') [ -n "$a" ] && spawning=$spawning"? $a$nl" ;;
    '!') forget_spawn "$a" ;;
    '+') [ -n "$b" ] && bucket "$a" && { forget_spawn "$c"; list=$list"+ $a $b $c$nl"; eval "$k=\\$list"; } ;;
    '-') bucket "$a" && eval "$k=\\$list" ;;
  esac
done
groups=$g
for x in 0 1 2 3 4 5 6 7 8 9; do for y in 0 1 2 3 4 5 6 7 8 9; do eval "groups=\\$groups\\$g$x$y"; done; done
[ -x "$1" ] || set -- node "$2" "$3" "$4"
exec "$1" "$2" "$3" "$4" <<EOF
$groups$spawning
EOF
`;

/** `$0` of the watchdog shell: what its own error messages, if any, are prefixed with. */
const NAME = 'orchestrator-watchdog';

/** The shell that runs the script: POSIX puts it there on every Linux (dash on Debian, bash elsewhere). */
export const WATCHDOG_SHELL = '/bin/sh';

/**
 * Arguments for `/bin/sh` that run the watchdog: on a crash it runs `node REAPER STATE_FILE PID`,
 * which is why the reaper's path (…/watchdog.js) shows in the watchdog's command line.
 */
export function watchdogArgs(node: string, reaper: string, statePath: string, orchestratorPid: number): string[] {
  return ['-c', WATCHDOG_SCRIPT, NAME, node, reaper, statePath, String(orchestratorPid)];
}
