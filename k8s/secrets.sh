#!/usr/bin/env bash
# Creates and rotates Stampede's Secrets in a cluster; no key is ever written to disk or put on a command line.
#
#   k8s/secrets.sh create                 the four Secrets below that are missing (an existing one is never replaced)
#   k8s/secrets.sh rotate  AUDIENCE       step 1: add a new key at the end of the ring (accepted, not yet signing)
#   k8s/secrets.sh promote AUDIENCE       step 2: the newest key signs (moves to the front)
#   k8s/secrets.sh retire  AUDIENCE       step 3: drop every key but the one that signs
#   k8s/secrets.sh show                   key ids per ring and whether the admin credential exists (never a key)
#
# Options: -n NAMESPACE (default stampede), --context NAME, --no-restart (rotate/promote/retire only restart the
# pods that read the ring when this is absent: env from Secrets is read at pod start).
#
# Secrets (DESIGN §5; tokens/README.md):
#   stampede-keys-auth       keys=<kid>:<base64url 32 bytes>[,...]   read by auth
#   stampede-keys-directory  keys=...                                read by auth and directory
#   stampede-keys-relay      keys=...                                read by auth and relay
#   stampede-admin           credential=<base64url 32 bytes>         auth's admin credential and the chaos Jobs'
#
# Rotation follows tokens/README.md: rotate (every verifier accepts the new key), promote (auth signs with it),
# then retire after the session-token TTL plus clock skew (15 min + 10 s by default), so no valid token is refused.
set -euo pipefail

namespace=stampede
kubectl_args=()
restart=1
command=""
audience=""

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n|--namespace) [ $# -ge 2 ] || usage; namespace="$2"; shift 2 ;;
    --context) [ $# -ge 2 ] || usage; kubectl_args+=(--context "$2"); shift 2 ;;
    --no-restart) restart=0; shift ;;
    -h|--help) usage ;;
    create|show) [ -z "$command" ] || usage; command="$1"; shift ;;
    rotate|promote|retire)
      [ -z "$command" ] && [ $# -ge 2 ] || usage
      command="$1"; audience="$2"; shift 2 ;;
    *) echo "secrets.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$command" ] || usage
case "$audience" in
  ""|auth|directory|relay) ;;
  *) echo "secrets.sh: audience '$audience' (expected: auth, directory or relay)" >&2; exit 2 ;;
esac

k() { kubectl "${kubectl_args[@]}" -n "$namespace" "$@"; }

# 32 random bytes, base64url without padding (43 characters).
random_key() {
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -base64 32
  else
    head -c 32 /dev/urandom | base64
  fi | tr -d '\n=' | tr '+/' '-_'
}

# A key id: 1..16 of [A-Za-z0-9_-] (tokens/README.md): the UTC day it was made and 16 random bits.
new_kid() { printf 'k%s-%s' "$(date -u +%Y%m%d)" "$(head -c 2 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

exists() { k get secret "$1" -o name >/dev/null 2>&1; }

# Writes Secret $1 with key $2 = stdin. `create`/`replace` (never `apply`): apply would copy the value into the
# last-applied-configuration annotation.
write_secret() {
  local name="$1" key="$2" verb="$3"
  k create secret generic "$name" --from-file="$key"=/dev/stdin --dry-run=client -o yaml \
    | k label --local -f - app.kubernetes.io/part-of=stampede -o yaml \
    | k "$verb" -f - >/dev/null
}

ring() { k get secret "stampede-keys-$1" -o jsonpath='{.data.keys}' | base64 -d; }

kids() { tr ',' '\n' | cut -d: -f1 | paste -sd, -; }

consumers() {
  case "$1" in
    auth) echo auth ;;
    directory) echo "auth directory" ;;
    relay) echo "auth relay" ;;
  esac
}

restart_consumers() {
  [ "$restart" = 1 ] || { echo "not restarted (--no-restart): restart deployment/$(consumers "$1" | sed 's/ / deployment\//g') yourself"; return; }
  local d
  for d in $(consumers "$1"); do
    k rollout restart "deployment/$d" >/dev/null
  done
  for d in $(consumers "$1"); do
    k rollout status "deployment/$d" --timeout=10m
  done
}

case "$command" in
  create)
    if ! kubectl "${kubectl_args[@]}" get namespace "$namespace" -o name >/dev/null 2>&1; then
      kubectl "${kubectl_args[@]}" create namespace "$namespace" >/dev/null
      echo "namespace/$namespace created"
    fi
    for a in auth directory relay; do
      if exists "stampede-keys-$a"; then
        echo "secret/stampede-keys-$a exists: left as it is"
      else
        printf '%s:%s' "$(new_kid)" "$(random_key)" | write_secret "stampede-keys-$a" keys create
        echo "secret/stampede-keys-$a created"
      fi
    done
    if exists stampede-admin; then
      echo "secret/stampede-admin exists: left as it is"
    else
      random_key | tr -d '\n' | write_secret stampede-admin credential create
      echo "secret/stampede-admin created"
    fi
    ;;
  show)
    for a in auth directory relay; do
      if exists "stampede-keys-$a"; then
        echo "stampede-keys-$a: $(ring "$a" | kids) (the first signs)"
      else
        echo "stampede-keys-$a: missing"
      fi
    done
    if exists stampede-admin; then echo "stampede-admin: present"; else echo "stampede-admin: missing"; fi
    ;;
  rotate|promote|retire)
    exists "stampede-keys-$audience" || { echo "secrets.sh: secret/stampede-keys-$audience does not exist (run: create)" >&2; exit 1; }
    current="$(ring "$audience")"
    IFS=',' read -r -a keys <<< "$current"
    case "$command" in
      rotate)
        kid="$(new_kid)"
        for entry in "${keys[@]}"; do
          [ "${entry%%:*}" != "$kid" ] || { echo "secrets.sh: key id $kid exists already; run it again" >&2; exit 1; }
        done
        next="$current,$kid:$(random_key)" ;;
      promote)
        [ "${#keys[@]}" -ge 2 ] || { echo "secrets.sh: the $audience ring has one key: rotate first" >&2; exit 1; }
        last="${keys[${#keys[@]}-1]}"
        next="$last"
        for entry in "${keys[@]:0:${#keys[@]}-1}"; do next="$next,$entry"; done ;;
      retire)
        [ "${#keys[@]}" -ge 2 ] || { echo "secrets.sh: the $audience ring has one key: nothing to retire"; exit 0; }
        next="${keys[0]}" ;;
    esac
    printf '%s' "$next" | write_secret "stampede-keys-$audience" keys replace
    echo "secret/stampede-keys-$audience: $(printf '%s' "$next" | kids) (the first signs)"
    restart_consumers "$audience"
    ;;
esac
