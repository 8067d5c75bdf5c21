def baseline = new File(basedir, 'gpukit-baseline.txt')
assert baseline.isFile()
def lines = baseline.readLines()
assert lines.size() == 3
assert lines.every { it.startsWith('Dockerfile:') }
assert lines.any { it.endsWith('[dockerfile/final-stage-non-root]') }
def log = new File(basedir, 'build.log').text
assert log.contains('3 files checked: 0 errors, 0 warnings, 0 info (3 in baseline)')
assert log.contains('BUILD SUCCESS')
return true
