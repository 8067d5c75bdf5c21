package io.gpukit.core.workflow;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.workflow.JobTraits.Evidence;
import io.gpukit.core.workflow.JobTraits.RunnerKind;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The GitHub Actions workflow rules. Ids are stable: they appear in reports, ignores and baselines.
 *
 * <p>The rules follow an image through CI: a job builds it, a job on a GPU runner tests it, and the
 * job that pushes it needs that test and runs only for the main branch. What "uses a GPU", "builds"
 * and "pushes" mean is defined once, in {@link JobTraits}; which runner labels mean a GPU is {@link
 * io.gpukit.core.policy.GpuKitConfig#isGpuRunnerLabel} ({@code gpu.runner-labels} in {@code
 * gpukit.yaml}).
 *
 * <p>The workflow-wide rules ({@link #IMAGE_BUILT}, {@link #GPU_TEST_JOB}) only judge a workflow
 * that builds or pushes an image: a lint-only or documentation workflow is not a delivery pipeline
 * and is left alone.
 *
 * @since 0.1.0
 */
public final class WorkflowRules {

  private WorkflowRules() {}

  /** A {@code needs} entry should name a job of the workflow; GitHub refuses the file otherwise. */
  public static final Rule<Workflow> NEEDS_KNOWN_JOB =
      Rule.<Workflow>define("workflow/needs-known-job")
          .error()
          .describedAs("every job named in 'needs' should exist in the workflow")
          .because(
              "GitHub rejects a workflow whose 'needs' names a missing job, so none of its jobs runs;"
                  + " a renamed test job silently takes the gate in front of the push with it.")
          .example("push:\n  needs: [tests]", "push:\n  needs: [test]")
          .checkedBy(
              (wf, findings) -> {
                List<String> ids = wf.jobs().stream().map(Job::id).toList();
                for (Job job : wf.jobs()) {
                  for (Job.Need need : job.needs()) {
                    if (!ids.contains(need.jobId())) {
                      String near = EditDistance.closest(need.jobId(), ids, 3)
                          .map(k -> " (did you mean '" + k + "'?)").orElse("");
                      findings.report(
                          need.location(),
                          job.describe() + " needs '" + need.jobId() + "', which is not a job of this workflow" + near,
                          "name one of the jobs: " + ids);
                    }
                  }
                }
              });

  /** Jobs should not need each other in a cycle; GitHub refuses the file otherwise. */
  public static final Rule<Workflow> NEEDS_NO_CYCLE =
      Rule.<Workflow>define("workflow/needs-no-cycle")
          .error()
          .describedAs("jobs should not need each other in a cycle")
          .because("GitHub rejects a workflow whose 'needs' form a cycle, so none of its jobs runs.")
          .example("build:\n  needs: [push]\npush:\n  needs: [build]", "build: {}\npush:\n  needs: [build]")
          .checkedBy(
              (wf, findings) -> {
                Map<String, Integer> state = new HashMap<>();
                for (Job job : wf.jobs()) {
                  findCycles(wf, job, new ArrayList<>(), state, findings);
                }
              });

  /** Depth-first, without recursion: a hostile file may chain thousands of jobs. */
  private static void findCycles(
      Workflow wf, Job root, List<String> path, Map<String, Integer> state, Rule.Findings findings) {
    if (state.containsKey(root.id())) {
      return;
    }
    Map<String, Job> byId = new HashMap<>();
    wf.jobs().forEach(j -> byId.putIfAbsent(j.id(), j));
    Deque<int[]> positions = new ArrayDeque<>();
    Deque<Job> jobs = new ArrayDeque<>();
    jobs.push(root);
    positions.push(new int[] {0});
    state.put(root.id(), 1);
    path.add(root.id());
    while (!jobs.isEmpty()) {
      Job job = jobs.peek();
      int[] next = positions.peek();
      if (next[0] >= job.needs().size()) {
        jobs.pop();
        positions.pop();
        state.put(job.id(), 2);
        path.remove(path.size() - 1);
        continue;
      }
      Job.Need need = job.needs().get(next[0]++);
      Job target = byId.get(need.jobId());
      if (target == null) {
        continue;
      }
      Integer ns = state.get(target.id());
      if (ns != null && ns == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(target.id()), path.size()));
        cycle.add(target.id());
        findings.report(
            need.location(),
            "the jobs need each other in a cycle: " + String.join(" -> ", cycle),
            "remove one of these 'needs' so the jobs run in one order");
      } else if (ns == null) {
        jobs.push(target);
        positions.push(new int[] {0});
        state.put(target.id(), 1);
        path.add(target.id());
      }
    }
  }

  /**
   * A job that uses a GPU should not run on a GitHub-hosted runner.
   *
   * <p>{@code ubuntu-*}, {@code windows-*} and {@code macos-*} runners have no GPU: {@code
   * nvidia-smi} is missing, {@code docker run --gpus} fails, and GPU test groups are skipped, so
   * the job proves nothing about the image. Matrix runners count one by one, and a step whose
   * {@code if:} rules a matrix run out does not count on it. Only strong evidence counts here: a
   * test that is GPU by its name only may well be meant to run, or skip, on a CPU.
   */
  public static final Rule<Workflow> GPU_JOB_ON_GPU_RUNNER =
      Rule.<Workflow>define("workflow/gpu-job-on-gpu-runner")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a job that uses a GPU should run on a GPU runner, not a GitHub-hosted one")
          .because(
              "GitHub-hosted ubuntu/windows/macos runners have no GPU: GPU steps fail or GPU tests skip"
                  + " silently, and the image ships untested on the hardware it targets.")
          .example(
              "test:\n  runs-on: ubuntu-latest\n  steps:\n    - run: docker run --gpus all app:ci python3 /app/smoke_test.py",
              "test:\n  runs-on: [self-hosted, gpu]\n  steps:\n    - run: docker run --gpus all app:ci python3 /app/smoke_test.py")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  for (JobTraits.Run run : JobTraits.runs(job, findings.config())) {
                    if (run.kind() == RunnerKind.GITHUB_HOSTED && run.strong().isPresent()) {
                      Evidence gpu = run.strong().get();
                      findings.report(
                          job.runsOn().get().location(),
                          job.describe() + " uses a GPU (" + gpu.text() + " at " + lineOf(gpu.location(), wf.path())
                              + ") but runs on GitHub-hosted " + run.labels() + ", which has no GPU",
                          "run it on your GPU runners, e.g. 'runs-on: " + gpuLabels(run.amd()) + "'");
                      break;
                    }
                  }
                }
              });

  /**
   * A GPU job's runner labels should say GPU, so that the job cannot land on a CPU machine. A bare
   * {@code self-hosted} matches every self-hosted runner. Only strong evidence of GPU use counts,
   * and a runner group is a fixed pool, never "unlabelled".
   */
  public static final Rule<Workflow> GPU_RUNNER_LABELLED =
      Rule.<Workflow>define("workflow/gpu-runner-labelled")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a job that uses a GPU should ask for a runner whose labels say GPU")
          .because(
              "'runs-on: self-hosted' matches any self-hosted runner, CPU-only ones included; a label"
                  + " such as 'gpu' (or one declared under gpu.runner-labels in gpukit.yaml) keeps the job"
                  + " on GPU machines.")
          .example("runs-on: self-hosted", "runs-on: [self-hosted, gpu]")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  for (JobTraits.Run run : JobTraits.runs(job, findings.config())) {
                    if (run.kind() == RunnerKind.UNLABELLED && run.strong().isPresent()) {
                      findings.report(
                          job.runsOn().get().location(),
                          job.describe() + " uses a GPU but its runner labels " + run.labels() + " do not say GPU",
                          "add a GPU label (e.g. " + gpuLabels(run.amd()) + "), or declare yours under"
                              + " gpu.runner-labels in gpukit.yaml");
                      break;
                    }
                  }
                }
              });

  /**
   * A job on a GPU runner, or one that uses a GPU, should set {@code timeout-minutes}: a hung CUDA
   * call otherwise holds the runner for six hours. The runner alone decides, whatever the steps do.
   */
  public static final Rule<Workflow> GPU_JOB_TIMEOUT =
      Rule.<Workflow>define("workflow/gpu-job-timeout")
          .warning()
          .onGpuArtifactsOnly()
          .describedAs("a job on a GPU runner, or that uses a GPU, should set timeout-minutes")
          .because(
              "A hung driver call or a deadlocked NCCL test keeps a scarce GPU runner for GitHub's default"
                  + " of 360 minutes; a timeout frees it.")
          .example("test:\n  runs-on: [self-hosted, gpu]", "test:\n  runs-on: [self-hosted, gpu]\n  timeout-minutes: 30")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  if (job.timeoutMinutes().isPresent()) {
                    continue;
                  }
                  List<JobTraits.Run> runs = JobTraits.runs(job, findings.config());
                  Optional<JobTraits.Run> gpuRunner = runs.stream().filter(r -> r.kind() == RunnerKind.GPU).findFirst();
                  String hint = "add 'timeout-minutes: 30' (or what the GPU tests need) to the job";
                  if (gpuRunner.isPresent()) {
                    findings.report(
                        job.location(),
                        job.describe() + " runs on the GPU runner " + gpuRunner.get().runner()
                            + " but has no timeout-minutes (GitHub's default is 360)",
                        hint);
                  } else if (runs.stream().anyMatch(r -> r.strong().isPresent())) {
                    findings.report(
                        job.location(),
                        job.describe() + " uses a GPU but has no timeout-minutes (GitHub's default is 360)",
                        hint);
                  }
                }
              });

  /** A workflow that pushes an image should build it: otherwise it publishes an image no job of it built or tested. */
  public static final Rule<Workflow> IMAGE_BUILT =
      Rule.<Workflow>define("workflow/image-built")
          .error()
          .describedAs("a workflow that pushes an image should have a job that builds it")
          .because(
              "A push without a build in the same workflow publishes whatever image the runner has:"
                  + " nothing ties it to the commit, nor to a GPU test.")
          .example(
              "jobs:\n  push:\n    steps:\n      - run: docker push ghcr.io/acme/app:${{ github.sha }}",
              "jobs:\n  build:\n    steps:\n      - run: docker build -t ghcr.io/acme/app:${{ github.sha }} .\n"
                  + "  …\n  push:\n    needs: [test]")
          .checkedBy(
              (wf, findings) -> {
                boolean builds = wf.jobs().stream().anyMatch(JobTraits::buildsImage);
                Optional<Job> pusher = wf.jobs().stream().filter(JobTraits::pushesImage).findFirst();
                if (!builds && pusher.isPresent()) {
                  findings.report(
                      JobTraits.pushSteps(pusher.get()).get(0).location(),
                      pusher.get().describe() + " pushes an image but no job of this workflow builds one",
                      "add a job that builds the image (docker build, docker/build-push-action, jib) and let the"
                          + " GPU test and the push need it");
                }
              });

  /**
   * A workflow that builds or pushes an image should test it in a job on a GPU runner. A call of a
   * local reusable workflow counts by what the called workflow's jobs run ({@link
   * ReusableWorkflows}); a workflow that calls any other reusable workflow is given the benefit of
   * the doubt. A workflow whose pushes run only when another one completes ({@code on:
   * workflow_run}, and no other trigger or a job that requires the run's conclusion) is tested by
   * that one: the project view's {@code project/workflow-run-gpu-test} reads it, and this rule
   * leaves the workflow alone, also when its file is checked on its own.
   */
  public static final Rule<Workflow> GPU_TEST_JOB =
      Rule.<Workflow>define("workflow/gpu-test-job")
          .error()
          .onGpuArtifactsOnly()
          .describedAs("a workflow that builds or pushes an image should test it in a job on a GPU runner")
          .because(
              "A GPU image that only passes CPU tests can still fail on its first GPU node: wrong CUDA"
                  + " runtime, missing driver libraries, a kernel built for the wrong architecture.")
          .example(
              "jobs:\n  build: …\n  push:\n    needs: [build]",
              "jobs:\n  build: …\n  test:\n    needs: [build]\n    runs-on: [self-hosted, gpu]\n    steps:\n"
                  + "      - run: docker run --gpus all app:ci python3 /app/smoke_test.py\n  push:\n    needs: [test]")
          .checkedBy(
              (wf, findings) -> {
                if (!buildsOrPushes(wf) || wf.jobs().stream().anyMatch(Job::callsUnreadWorkflow)) {
                  return; // (a workflow under gpu.not-paths, or one that builds only images that are not GPU, gets no GPU rule)
                }
                if (WorkflowRun.trigger(wf).isPresent() && wf.jobs().stream().filter(JobTraits::pushesImage)
                    .allMatch(j -> WorkflowRun.decidedByFollowed(wf, j, JobTraits.pushSteps(j).get(0)))) {
                  return; // its pushes follow another workflow: project/workflow-run-gpu-test judges that one's GPU test
                }
                if (wf.jobs().stream().noneMatch(j -> testsOnGpuRunner(j, findings.config(), false))) {
                  findings.report(
                      wf.jobsLocation(),
                      "the workflow builds or pushes an image but no job on a GPU runner uses a GPU",
                      isAmd(wf, findings.config())
                          ? "add a job on [self-hosted, rocm] that needs the build and runs your ROCm smoke test"
                              + " (docker run --device /dev/kfd --device /dev/dri …); gpukit-probe needs NVIDIA, so"
                              + " declare the smoke test under gpu.probe-commands in gpukit.yaml"
                          : "add a job on [self-hosted, gpu] that needs the build and runs the GPU smoke test"
                              + " (docker run --gpus all … or the gpu test group)");
                }
              });

  /** The GPU test should run after the build it tests, or it tests an older image. */
  public static final Rule<Workflow> TEST_NEEDS_BUILD =
      Rule.<Workflow>define("workflow/test-needs-build")
          .error()
          .describedAs("a job that tests the built image on a GPU runner should need the job that builds it")
          .because(
              "Without 'needs', the GPU test starts at the same time as the build and runs against"
                  + " whatever image tag is already in the registry, not the one this commit builds.")
          .example("test:\n  runs-on: [self-hosted, gpu]", "test:\n  needs: [build]\n  runs-on: [self-hosted, gpu]")
          .checkedBy(
              (wf, findings) -> {
                List<Job> builders = wf.jobs().stream().filter(JobTraits::buildsImage).toList();
                if (builders.isEmpty()) {
                  return;
                }
                Optional<List<String>> built = JobTraits.builtRepositories(builders);
                for (Job job : wf.jobs()) {
                  if (!JobTraits.surelyTestsOnGpuRunner(job, findings.config()) || JobTraits.buildsImage(job)
                      || !JobTraits.runsImage(job, built)) {
                    continue; // a job that tests the source tree (pytest, go test) or a vendor image needs no build
                  }
                  Set<String> deps = wf.dependenciesOf(job);
                  if (builders.stream().noneMatch(b -> deps.contains(b.id()))) {
                    findings.report(
                        job.location(),
                        job.describe() + " tests on a GPU runner but does not need the build job '"
                            + builders.get(0).id() + "'",
                        "add 'needs: [" + builders.get(0).id() + "]' to " + job.describe());
                  }
                }
              });

  /** A push on {@code workflow_run} whose job does not require the followed run to have succeeded. */
  private static void pushesAfterFailedRuns(Workflow wf, Trigger trigger, Rule.Findings findings) {
    String followed = trigger.workflows().isEmpty()
        ? "the workflow it follows"
        : trigger.workflows().stream().map(n -> "'" + n + "'").collect(Collectors.joining(" or "));
    for (Job job : wf.jobs()) {
      List<Step> pushes = JobTraits.pushSteps(job);
      if (pushes.isEmpty() || WorkflowRun.checksConclusion(wf, job, pushes.get(0))) {
        continue;
      }
      findings.report(
          job.location(),
          job.describe() + " pushes the image whenever " + followed + " completes, also after a failed GPU test: "
              + (WorkflowRun.mentionsConclusion(job)
                  ? "its 'if' reads github.event.workflow_run.conclusion but does not require 'success'"
                  : "neither its 'if' nor a job it needs checks github.event.workflow_run.conclusion"),
          "add \"if: github.event.workflow_run.conclusion == 'success'\" to " + job.describe());
    }
  }

  /** In a job that both tests on a GPU and pushes, the first push should come after the GPU test. */
  private static void pushBeforeTest(Job job, Rule.Findings findings) {
    Step push = JobTraits.pushSteps(job).get(0);
    JobTraits.gpuUse(job, findings.config())
        .filter(JobTraits.Evidence::isStrong)
        .filter(test -> push.index() < stepIndexOf(job, test.location()))
        .ifPresent(test -> findings.report(
            push.location(),
            job.describe() + " pushes the image before its GPU test at " + lineOf(test.location(), job.location().file())
                + ": a failing test no longer stops the push",
            "move the push step after the GPU test, or into a job that needs this one"));
  }

  /** {@code line 12} in the checked file; {@code .github/actions/x/action.yml:12} in a local action's. */
  private static String lineOf(SourceLocation at, Path checked) {
    return at.file().equals(checked)
        ? "line " + at.line()
        : io.gpukit.core.source.SourceLocation.renderPath(at.file()) + ":" + at.line();
  }

  /**
   * The position in its job of the step a location is in: the last step written at or before it in
   * the same file (a step of a local action is in its action.yml, so locations of different files
   * do not compare); -1 for what is written before the steps, e.g. the job's container.
   */
  private static int stepIndexOf(Job job, io.gpukit.core.source.SourceLocation at) {
    int index = -1;
    io.gpukit.core.source.SourceLocation closest = null;
    for (Step s : job.steps()) {
      if (s.location().file().equals(at.file()) && s.location().compareTo(at) <= 0
          && (closest == null || closest.compareTo(s.location()) < 0)) {
        closest = s.location();
        index = s.index();
      }
    }
    return index;
  }

  /**
   * The push should need the GPU test, so a failing test stops the image: the job that pushes needs
   * the GPU test job, or, in a job that does both, pushes after the test step. In a workflow that
   * runs when another one completes ({@code on: workflow_run}) and has no GPU test job of its own,
   * the gate is the other workflow's run: the job that pushes (or a job it needs) must require
   * {@code github.event.workflow_run.conclusion == 'success'}, since GitHub starts the workflow
   * after a failed run too ({@link WorkflowRun}). Whether the followed workflow exists and tests on
   * a GPU for the branches pushed is {@code project/workflow-run-gpu-test}'s to judge.
   */
  public static final Rule<Workflow> PUSH_NEEDS_TEST =
      Rule.<Workflow>define("workflow/push-needs-test")
          .error()
          .describedAs("the job that pushes the image should need the job that tests it on a GPU")
          .because(
              "Jobs without 'needs' run in parallel: the image is pushed even when the GPU test fails,"
                  + " and the broken image reaches the GPU nodes. Gated: the job that pushes needs the GPU test"
                  + " job, directly or through other jobs, or the job that calls a local reusable workflow"
                  + " (uses: ./.github/workflows/x.yml) whose jobs test on a GPU; a reusable workflow of another"
                  + " repository gets the benefit of the doubt; in a job that does both, the push step comes"
                  + " after the GPU test step. A push on workflow_run is gated by the workflow it follows: its"
                  + " job, or a job it needs, must require github.event.workflow_run.conclusion == 'success',"
                  + " since GitHub starts it after a failed run too; project/workflow-run-gpu-test checks that"
                  + " the followed workflow exists and tests on a GPU.")
          .example("push:\n  needs: [build]", "push:\n  needs: [test]")
          .checkedBy(
              (wf, findings) -> {
                List<Job> testers =
                    wf.jobs().stream().filter(j -> testsOnGpuRunner(j, findings.config(), true)).toList();
                if (testers.isEmpty()) {
                  testers = wf.jobs().stream().filter(Job::callsUnreadWorkflow).toList();
                }
                if (testers.isEmpty()) {
                  WorkflowRun.trigger(wf).ifPresent(t -> pushesAfterFailedRuns(wf, t, findings));
                  return; // else workflow/gpu-test-job reports it
                }
                for (Job job : wf.jobs()) {
                  if (!JobTraits.pushesImage(job)) {
                    continue;
                  }
                  if (testers.contains(job)) {
                    pushBeforeTest(job, findings);
                    continue;
                  }
                  Set<String> deps = wf.dependenciesOf(job);
                  if (testers.stream().noneMatch(t -> deps.contains(t.id()))) {
                    findings.report(
                        job.location(),
                        job.describe() + " pushes the image but does not need the GPU test job '" + testers.get(0).id() + "'",
                        "add 'needs: [" + testers.get(0).id() + "]' to " + job.describe());
                  }
                }
              });

  /**
   * The push should happen only for the main branch, never for a pull request: a pull request's
   * image is untrusted and unreviewed. {@code main} and {@code master} count as main, and so does
   * a comparison with {@code github.event.repository.default_branch}; see {@link ImagePush} for the
   * forms of {@code if} and {@code on} that gate a push.
   *
   * <p>Tags: a workflow that runs only for pushed tags ({@code on: push: tags: [v*]}, no branch
   * filter) or for {@code release} events is gated, as maintainers tag from the default branch;
   * protected refs are GitHub settings gpukit does not see, so a {@code github.ref} comparison
   * with {@code refs/heads/main} is what counts. A push that runs when another workflow completes
   * ({@code on: workflow_run}, and only then: its job requires the run's conclusion, or the
   * workflow has no other trigger) is not judged here: {@code github.ref} is always the default
   * branch in such a run, and the code pushed is the followed run's, so the followed workflow's
   * triggers decide; the project view's {@code project/workflow-run-gpu-test} reads them.
   */
  public static final Rule<Workflow> PUSH_GATED_ON_MAIN =
      Rule.<Workflow>define("workflow/push-gated-on-main")
          .error()
          .describedAs("the job that pushes the image should run only for the main branch, never for a pull request")
          .because(
              "A push from a pull request or a feature branch publishes unreviewed code under the tag the"
                  + " GPU nodes pull; on pull_request it also needs registry credentials that forks must"
                  + " not get. Gated: an 'if' that requires github.ref == 'refs/heads/main' (or master, or"
                  + " github.event.repository.default_branch; an '||' alternative without it does not gate),"
                  + " or an 'on' that only runs for pushes to main or on a schedule; a workflow that only runs"
                  + " for pushed tags (on: push: tags: [v*], no branch filter) or release events is gated too,"
                  + " as release tags are cut from the default branch. Protected branches, tag rulesets and"
                  + " environment reviewers are repository settings gpukit cannot see, so they do not count:"
                  + " write the gate in the workflow. A push on workflow_run is left to"
                  + " project/workflow-run-gpu-test, which reads the followed workflow's triggers: github.ref is"
                  + " always the default branch in such a run, whatever code it pushes.")
          .example(
              "on: [push, pull_request]\njobs:\n  push:\n    needs: [test]",
              "on: [push, pull_request]\njobs:\n  push:\n    needs: [test]\n    if: github.ref == 'refs/heads/main'")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  List<Step> pushes = JobTraits.pushSteps(job);
                  if (pushes.isEmpty()) {
                    continue;
                  }
                  Step step = pushes.get(0);
                  if (ImagePush.gatedOnDefaultBranch(wf, job, step) || WorkflowRun.decidedByFollowed(wf, job, step)) {
                    continue;
                  }
                  String hint = "add \"if: github.ref == 'refs/heads/main'\" to " + job.describe();
                  if (ImagePush.canRunForPullRequest(wf, job, step)) {
                    findings.report(
                        job.location(),
                        job.describe() + " pushes the image and can run for pull_request events",
                        hint);
                  } else if (ImagePush.comparesWithDefaultBranchOnlyInPart(wf, job, step)) {
                    findings.report(
                        job.location(),
                        job.describe() + " pushes the image from any branch: its 'if' compares github.ref with"
                            + " main, but an '||' alternative lets it run without that comparison",
                        "make the branch comparison required: \"if: github.ref == 'refs/heads/main' && (…)\"");
                  } else {
                    findings.report(
                        job.location(),
                        job.describe() + " pushes the image from any branch: neither its 'if' nor the"
                            + " workflow's 'on' limits it to main",
                        hint);
                  }
                }
              });

  /**
   * The pushed tags should identify the build: {@code latest} alone (or another tag that moves, such
   * as {@code latest-gpu} or {@code nightly}: {@code floating-tags} in gpukit.yaml) cannot be pinned
   * nor rolled back.
   */
  public static final Rule<Workflow> PUSH_IMMUTABLE_TAG =
      Rule.<Workflow>define("workflow/push-immutable-tag")
          .warning()
          .describedAs("the job that pushes the image should push a tag that names the build, not only 'latest'")
          .because(
              "'latest' moves on every push: a GPU node cannot pin it, two nodes may run different"
                  + " images under it, and a rollback has nothing to roll back to.")
          .example(
              "- run: docker push ghcr.io/acme/app:latest",
              "- run: |\n    docker tag ghcr.io/acme/app:latest ghcr.io/acme/app:${{ github.sha }}\n"
                  + "    docker push ghcr.io/acme/app:${{ github.sha }}")
          .checkedBy(
              (wf, findings) -> {
                for (Job job : wf.jobs()) {
                  if (JobTraits.pushesImage(job) && ImagePush.pushesOnlyFloatingTags(job, findings.config())) {
                    boolean latest = ImagePush.pushesOnlyLatest(job);
                    findings.report(
                        JobTraits.pushSteps(job).get(0).location(),
                        job.describe() + (latest ? " pushes only the 'latest' tag " : " pushes only tags that move ")
                            + ImagePush.pushedReferences(job),
                        "also push a tag that names the build, e.g. ':${{ github.sha }}' or the release version");
                  }
                }
              });

  /** Every workflow rule, in a stable order: the rules of this class, then {@link ShippingRules}' supply-chain rules. */
  public static final List<Rule<Workflow>> ALL =
      Stream.concat(Stream.of(
          NEEDS_KNOWN_JOB,
          NEEDS_NO_CYCLE,
          GPU_JOB_ON_GPU_RUNNER,
          GPU_RUNNER_LABELLED,
          GPU_JOB_TIMEOUT,
          IMAGE_BUILT,
          GPU_TEST_JOB,
          TEST_NEEDS_BUILD,
          PUSH_NEEDS_TEST,
          PUSH_GATED_ON_MAIN,
          PUSH_IMMUTABLE_TAG), ShippingRules.ALL.stream()).toList();

  /**
   * Whether a job tests on a GPU runner, itself or, when it calls a local reusable workflow the
   * project read, through one of the called workflow's jobs.
   *
   * @param surely only what {@link JobTraits#surelyTestsOnGpuRunner} accepts
   */
  private static boolean testsOnGpuRunner(Job job, io.gpukit.core.policy.GpuKitConfig config, boolean surely) {
    boolean itself = surely ? JobTraits.surelyTestsOnGpuRunner(job, config) : JobTraits.testsOnGpuRunner(job, config);
    return itself || job.called().stream().anyMatch(c -> testsOnGpuRunner(c, config, surely));
  }

  /** Labels to suggest for a GPU job: AMD's when the job is AMD's. */
  private static String gpuLabels(boolean amd) {
    return amd ? "[self-hosted, rocm]" : "[self-hosted, gpu]";
  }

  /** Whether the GPU jobs of a workflow are all AMD's (and there is at least one). */
  private static boolean isAmd(Workflow wf, io.gpukit.core.policy.GpuKitConfig config) {
    List<Job> gpu = wf.jobs().stream()
        .filter(j -> JobTraits.usesGpu(j, config)
            || JobTraits.runnerKinds(j, config).contains(RunnerKind.GPU))
        .toList();
    return !gpu.isEmpty() && gpu.stream().allMatch(j -> JobTraits.isAmd(j, config));
  }

  /** Whether a workflow builds or pushes an image: the workflow-wide rules judge only those. */
  public static boolean buildsOrPushes(Workflow wf) {
    return wf.jobs().stream().anyMatch(j -> JobTraits.buildsImage(j) || JobTraits.pushesImage(j));
  }
}
