#!/bin/bash
# A throwaway cluster on this machine, for testing the sweep's ssh and Slurm engines for real:
#   tools/cluster.sh start DIR   — munged, slurmctld and slurmd (one node: this host, one partition)
#                                  and an sshd on 127.0.0.1 with a key made for the occasion; all
#                                  state, logs and pids live in DIR (absolute). Prints the variables
#                                  the tests read: SLURM_CONF=… and SSH_LOGIN=….
#   tools/cluster.sh stop DIR    — stops what start started.
# Run as root (the daemons need it); apt-get installs slurm-wlm, munge and openssh-server when missing.
set -eu
action=${1:?usage: tools/cluster.sh start|stop DIR}
dir=${2:?usage: tools/cluster.sh start|stop DIR}

stop() {
    local pids=""
    for pidfile in "$dir"/*.pid; do
        [ -f "$pidfile" ] && pids="$pids $(cat "$pidfile")" && rm -f "$pidfile"
    done
    # Daemons whose pid file was not written yet (or was rewritten by a fork) are found by their configuration.
    pids="$pids $(pgrep -f -- "-f $dir/" | tr '\n' ' ')"
    [ -n "${pids// /}" ] || return 0
    kill $pids 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 $pids 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 $pids 2>/dev/null || true
}

# Runs a daemon with none of the caller's descriptors but /dev/null and its log: a daemon that kept
# a pipe of the caller's (even one inherited without close-on-exec) would keep its reader waiting.
detached() {
    local log=$1; shift
    (
        for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
        exec "$@" </dev/null >"$log" 2>&1
    )
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "tools/cluster.sh: unknown action '$action' (start or stop)" >&2; exit 64; }
[ "$(id -u)" = 0 ] || { echo "tools/cluster.sh: the daemons need root" >&2; exit 77; }
missing=""
for pair in slurmctld:slurm-wlm munged:munge sshd:openssh-server; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing="$missing ${pair#*:}"
done
if [ -n "$missing" ]; then
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2
fi
mkdir -p "$dir/spool/ctld" "$dir/spool/d" "$dir/log"
host=$(hostname -s)

# munge: a key of 1024 random bytes, owner munge, mode 400 (kept if the package made one).
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    head -c 1024 /dev/urandom > /etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n >/dev/null 2>&1; then
    detached "$dir/log/munged.out" su -s /bin/sh munge -c "/usr/sbin/munged --force"
    for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
    cp /run/munge/munged.pid "$dir/munged.pid" 2>/dev/null || pgrep -x -u munge munged | head -1 > "$dir/munged.pid"
fi

# Ports of their own (from this script's pid), so that a daemon left from another run cannot answer.
port=$(( 20000 + $$ % 20000 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=manifoldlab-test
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
MpiDefault=none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
NodeName=$host CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF=$dir/slurm.conf
export SLURM_CONF
detached "$dir/log/slurmctld.out" /usr/sbin/slurmctld -f "$SLURM_CONF" -i
detached "$dir/log/slurmd.out" /usr/sbin/slurmd -f "$SLURM_CONF"
i=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    [ $i -le 60 ] || { echo "tools/cluster.sh: the Slurm node is not idle after 30 s (see $dir/log)" >&2; stop; exit 69; }
    sleep 0.5
done

# sshd on 127.0.0.1, a free port, a host key and a client key made here; root logs in by key only.
mkdir -p /run/sshd "$dir/ssh" && chmod 700 "$dir/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh/client_key"
cp "$dir/ssh/client_key.pub" "$dir/ssh/authorized_keys"
cat > "$dir/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $((port + 2))
HostKey $dir/ssh/host_key
AuthorizedKeysFile $dir/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $dir/sshd.pid
CONF
detached /dev/null /usr/sbin/sshd -f "$dir/ssh/sshd_config" -E "$dir/log/sshd.log"
# The ssh command GNU parallel is to use: this key, this port, no questions about the host.
cat > "$dir/ssh/ssh" <<SH
#!/bin/sh
exec ssh -i '$dir/ssh/client_key' -p $((port + 2)) -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes "\$@"
SH
chmod +x "$dir/ssh/ssh"
i=0
until "$dir/ssh/ssh" 127.0.0.1 true 2>/dev/null; do
    i=$((i + 1))
    [ $i -le 20 ] || { echo "tools/cluster.sh: sshd on 127.0.0.1:$((port + 2)) does not answer (see $dir/log/sshd.log)" >&2; stop; exit 69; }
    sleep 0.5
done
echo "SLURM_CONF=$SLURM_CONF"
echo "SSH_LOGIN=$dir/ssh/ssh 127.0.0.1"
