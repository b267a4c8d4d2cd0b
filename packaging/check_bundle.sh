#!/usr/bin/env bash
# Check a built one-folder bundle: run it offscreen on the bundled sample project with
# --smoke and exit with its exit code (0 = the window started and the event loop ran).
#
#   packaging/check_bundle.sh [DIST_DIR] [PROJECT.emendo]
#
# DIST_DIR defaults to dist/emendo. With PROJECT, also runs "emendo open PROJECT --smoke".
# The app runs from / with a fresh, empty data folder, so it can rely on nothing but the
# bundle: the sample project is created from the bundled documents on this first run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "${1:-$here/../dist/emendo}" 2>/dev/null && pwd) || {
    echo "check_bundle: no bundle folder ${1:-dist/emendo} (run: make bundle)" >&2; exit 2; }
project=${2:-}
app="$dist/emendo"
[ -x "$app" ] || { echo "check_bundle: $app is missing or not executable" >&2; exit 2; }

# The Qt platform plugins the app needs: offscreen for this check, xcb for X11 desktops.
plugins=$(find "$dist" -type d -path '*/plugins/platforms' | head -n 1)
for name in offscreen xcb; do
    if [ -z "$plugins" ] || [ ! -f "$plugins/libq$name.so" ]; then
        echo "check_bundle: Qt platform plugin '$name' is not in the bundle" >&2; exit 3
    fi
done

data=$(mktemp -d "${TMPDIR:-/tmp}/emendo-check.XXXXXX")
trap 'rm -rf "$data"' EXIT

run() {  # run the app as a user would, without the build's environment leaking in
    (cd / && env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV \
        QT_QPA_PLATFORM=offscreen EMENDO_DATA_DIR="$data" HOME="$data" \
        timeout 120 "$app" "$@")
}

echo "check_bundle: $app --smoke (QT_QPA_PLATFORM=offscreen, data in $data)"
run --smoke
rc=$?
echo "check_bundle: exit code $rc"
if [ "$rc" -eq 0 ] && [ -n "$project" ]; then
    echo "check_bundle: $app open $project --smoke"
    run open "$(cd "$(dirname "$project")" && pwd)/$(basename "$project")" --smoke
    rc=$?
    echo "check_bundle: exit code $rc"
fi
exit "$rc"
