def log = new File(basedir, 'build.log').text
assert log.contains('gpukit: skipped (skip / -Dgpukit.skip)')
assert !log.contains('[dockerfile/final-stage-non-root]')
assert log.contains('BUILD SUCCESS')
return true
