def log = new File(basedir, 'build.log').text
// The root saw the three layers together ...
assert log =~ /gpukit: multi-module: 3 files checked: 0 errors, 1 warning, 0 info/
// ... so the warning in the module's Dockerfile is reported once, by the root, with its path from the root.
def warning = '[WARNING] service/Dockerfile:12:1: warning: ENTRYPOINT uses the shell form [dockerfile/exec-form]'
assert log.count(warning) == 1
assert log.contains('gpukit: service is checked with multi-module (.), whose folder holds this one, as one project')
assert log.contains('BUILD SUCCESS')
return true
