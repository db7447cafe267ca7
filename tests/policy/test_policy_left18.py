"""The seventeenth pass's leftovers, closed by class (left18).

Each row is a form and the confirmation it gets under `ops_safe`, with its siblings (the
other spellings and neighbours of the same class) and the forms that must stay where
they were. docs/policy.md ("The seventeenth pass's leftovers (eighteenth pass, left18)"
and the Labelling rules) says why.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_level

from aiperm_tui.policy import PolicyEngine

pytestmark = pytest.mark.timeout(60)

# A project's build outputs deleted recursively: typed whatever the folder's name (the
# lead's labelling rule); a tool's own clean command and a home cache stay where they were.
BUILD_OUTPUTS = [
    ("rm -r out/", "typed"),
    ("rm -rf .next .svelte-kit", "typed"),
    ("sudo rm -rf -- target coverage", "typed"),
    ("find apps -type d -name .turbo -prune -exec rm -r {} \\;", "typed"),
    ("find . -name __pycache__ -type d | xargs rm -rf", "typed"),
    ("git clean -fdX -- packages/ui/dist", "typed"),
    ("env rm -rf ./lib ./es", "typed"),
    ("timeout 60 rm -fr _build deps", "typed"),
    ("make clean", "action"),
    ("cargo clean -p engine-core", "action"),
    ("go clean -testcache", "action"),
    ("rm -rf ~/.cache/go-build", "action"),
]

# Listings that run a module's code to introspect it: a change, as v10 labels it.
MODULE_LISTINGS = [
    ("dagger functions", "action"),
    ("dagger --mod ./pipelines functions", "action"),
    ("dagger -m ./ci call --help", "action"),
    ("dagger call -h", "action"),
    ("dagger --help", "none"),
    ("dagger version", "none"),
]

# A tool's own variable pointing its project, configuration or plugin path at a temp
# folder: the tool loads and runs what it finds there (dataflow.PROJECT_FILE_VARS).
PROJECT_VARS = [
    ("MIX_EXS=/var/tmp/m/mix.exs mix compile --no-deps-check", "typed"),
    ("env UV_PROJECT=/dev/shm/p uv sync --frozen", "typed"),
    ("export RENOVATE_CONFIG_FILE=/tmp/r/config.js; renovate --platform=local", "typed"),
    ("sudo PIPENV_PIPFILE=/tmp/Pipfile pipenv run true", "typed"),
    ("GRADLE_USER_HOME=/tmp/gh ./gradlew projects", "typed"),
    ("CARGO_HOME=//tmp/cargo cargo tree", "typed"),
    ("YARN_RC_FILENAME=/tmp/.yarnrc.yml yarn --version", "typed"),
    ("GIT_CONFIG_GLOBAL=/tmp/gitconfig git log -1", "typed"),
    ("MIX_EXS=apps/billing/mix.exs mix deps.tree", "none"),
    ("CARGO_HOME=$HOME/.cargo cargo tree", "none"),
    ("GIT_CONFIG_GLOBAL=/dev/null git log -1", "none"),
    ("MIX_ENV=prod mix deps.tree", "none"),
]

# A checker that looks its configuration up beside the files it checks, pointed at a temp
# folder, loads the config and plugins found there (dataflow.CONFIG_BESIDE_FILES).
CHECKED_IN_TEMP = [
    ("prettier -l /var/tmp/site/index.ts", "typed"),
    ("npx eslint --max-warnings 0 /dev/shm/w/src", "typed"),
    ("pnpm exec prettier --check //tmp/x", "typed"),
    ("rubocop --format offenses /tmp/gem/lib", "typed"),
    ("eslint apps/web/src --format compact", "none"),
    ("prettier --check 'src/**/*.ts'", "none"),
    ("eslint src -o /tmp/lint.txt", "none"),
]

# buf's configuration, template or input module from a temp folder: their plugins run.
BUF_TEMP = [
    ("buf lint --config=/dev/shm/buf.yaml proto", "typed"),
    ("buf breaking /var/tmp/mod --against '.git#branch=main'", "typed"),
    ("buf generate --template /tmp/gen.yaml", "typed"),
    ('buf lint --config "$CFG"', "typed"),
    ("buf lint --config buf.ci.yaml", "none"),
    ("buf build -o /tmp/image.binpb", "action"),
]

# Names or object ids of credentials handed on through awk, a filter's pattern, or a loop
# (`_listed_names`, `_filtered_secret`, `_loop_listings`).
HANDED_ON = [
    ("git ls-files -s -- .npmrc | gawk '{print $2}' | xargs git cat-file blob", "typed"),
    ("git ls-files -s | awk '/id_ed25519/ {print $2}' | xargs -n1 git cat-file -p", "typed"),
    ("git ls-files | grep -E 'secrets|\\.pgpass' | xargs cat", "typed"),
    ("find /home -type f | grep id_ecdsa | xargs head -n 40", "typed"),
    ('find /srv -name .env.production | while read -r f; do cat "$f"; done', "typed"),
    ('while IFS= read -r k; do base64 "$k"; done < <(find ~ -name id_ed25519)', "typed"),
    ("for k in `find / -name '*.pgpass'`; do cat $k; done", "typed"),
    ("git ls-files -s | mawk '/\\.env/ {print $2}' | while read o; do git show $o; done", "typed"),
    ("git ls-files | grep '\\.md$' | xargs wc -l", "none"),
    ("find . -name '*.py' | grep tests | xargs wc -l", "none"),
    ("find /var/log -name '*.log' | while read f; do wc -l \"$f\"; done", "none"),
    ('git ls-files | while read f; do wc -l "$f"; done', "none"),
    ('while read host; do ping -c1 "$host"; done < hosts.txt', "none"),
]

# A count or a status is an oracle when the pattern spells part of a value: a provider
# key's first letters, or a credential word inside a longer word (a guess of a password).
ORACLES = [
    ("grep -c ASIAY ~/.aws/credentials", "typed"),
    ("grep -q 'ghp_7f' ~/.config/gh/hosts.yml", "typed"),
    ("grep -l -e region -e glpat-x1 .env", "typed"),
    ("grep -c summer2024password .env", "typed"),
    ("grep -q Tokenabc123 .env.local", "typed"),
    ("grep -c AKIA ~/.aws/credentials", "none"),
    ("grep -c db_password .env", "none"),
    ("grep -c clientSecret config/app.env", "none"),
    ("grep -c -e API_KEY -e SECRET_KEY .env", "none"),
    ("grep -c '^DB_PASSWORD=' .env", "none"),
]

# A login whose secret comes from the host, to an Artifactory tenant: anyone may open
# one (a look-alike name), and its owner chooses how the password is checked.
TENANT_LOGINS = [
    ("docker login acme-corp.jfrog.io -u ci --password-stdin < /run/secrets/jf", "typed"),
    ('podman login -u deploy -p "$ART_TOKEN" acmecorp.jfrog.io', "typed"),
    ("helm registry login --password-stdin -u ci acme.jfrog.io < ~/.jf", "typed"),
    ("docker login acme-corp.jfrog.io", "action"),
    ('docker login -u ci -p "$GHCR_TOKEN" ghcr.io', "action"),
]

# A path that starts with two slashes is the same path on Linux (fspaths.normalize_path).
DOUBLE_SLASH = [
    ("head -c 300 //etc/shadow", "typed"),
    ("tee -a //etc/cron.d/sync < job", "typed"),
    ("PERL5LIB=//tmp/lib perl -e 1", "typed"),
    ("ls //srv/app", "none"),
]

# An interpreter one-liner that prints the environment whole prints the credentials in it
# (code._prints_environment); one variable, the names or a count print no value.
ENVIRONMENT_DUMPS = [
    ("deno eval 'console.log(JSON.stringify(Deno.env.toObject(), null, 2))'", "typed"),
    ("node -e 'console.table(process.env)'", "typed"),
    ("python3 -c 'import os, json; print(json.dumps(dict(os.environ)))'", "typed"),
    ("ruby -e 'ENV.each { |k, v| puts \"#{k}=#{v}\" }'", "typed"),
    ("php -r 'var_dump($_ENV);'", "typed"),
    ("bun -e 'console.log(Bun.env)'", "typed"),
    ("node -e 'console.log(Object.keys(process.env).sort())'", "none"),
    ("python3 -c 'import os; print(sorted(os.environ))'", "none"),
    ("python3 -c 'import os; print(os.environ[\"HOME\"])'", "none"),
    ("node -e 'console.log(process.env.NODE_ENV)'", "none"),
]

# Every process of pm2 deleted (or its daemon killed) and the empty list saved: nothing
# comes back at boot (judges.services._pm2); each alone stays a change.
PM2_EMPTIED = [
    ("pm2 del all && pm2 save", "typed"),
    ("pm2 kill; pm2 save --force", "typed"),
    ("sudo -u deploy pm2 delete all --silent && sudo -u deploy pm2 save --force", "typed"),
    ("'pm2' delete all && C=pm2; $C save", "typed"),
    ("sh -c 'pm2 delete all; pm2 save'", "typed"),
    ("pm2 save && pm2 delete all", "action"),
    ("pm2 delete all", "action"),
    ("pm2 save --force", "action"),
    ("pm2 delete worker-3 && pm2 save", "action"),
    ("pm2 reload all && pm2 save", "action"),
]

# A CI run or pipeline deleted takes its logs with it: typed, as the API DELETE of its
# logs is (gh.run_delete, gh.api_danger).
RUN_DELETES = [
    ("gh run delete 4815162342 --repo acme/api", "typed"),
    ("glab ci delete 9001", "typed"),
    ("gh api --method DELETE /repos/acme/api/actions/runs/31337", "typed"),
    ("glab api -X DELETE projects/12/pipelines/777", "typed"),
    ("gh api -X DELETE repos/acme/api/actions/runs/31337/logs", "typed"),
    ("gh run view 4815162342 --log-failed", "none"),
    ("gh run list --workflow ci.yml", "none"),
    ("gh api repos/acme/api/actions/runs/31337", "none"),
]

# fp17's leftovers: an npmrc printed without its token lines still prints `_password`
# and `//host/:_auth` lines; resolving may build sdists (a change); the runner listing
# prints each runner's token.
FP17_LEFT = [
    ("grep -v _authToken apps/web/.npmrc", "typed"),
    ("grep -v -e _authToken ~/.npmrc", "typed"),
    ("grep --invert-match '_authToken' /home/ci/.npmrc", "typed"),
    ("uv pip compile requirements.in -o requirements.txt", "action"),
    ("uv pip compile pyproject.toml --no-build -o /tmp/r.txt", "action"),
    ("gitlab-runner list", "typed"),
    ("sudo gitlab-runner --debug list 2>&1", "typed"),
    ("gitlab-runner verify", "none"),
]

CASES = [
    *ENVIRONMENT_DUMPS,
    *PM2_EMPTIED,
    *RUN_DELETES,
    *FP17_LEFT,
    *DOUBLE_SLASH,
    *BUILD_OUTPUTS,
    *MODULE_LISTINGS,
    *PROJECT_VARS,
    *CHECKED_IN_TEMP,
    *BUF_TEMP,
    *HANDED_ON,
    *ORACLES,
    *TENANT_LOGINS,
]


@pytest.mark.parametrize(("cmd", "confirm"), CASES)
def test_a_leftover_form_is_judged_at_its_level(
    engine: PolicyEngine, cmd: str, confirm: str
) -> None:
    assert_level(engine, cmd, confirm)
