// The build failed on the two errors, listing each as file:line: message [rule] and saying why.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains("gpukit found 2 findings at or above failOn 'error' in broken (2 errors):")
assert log.contains('Dockerfile:4: the final stage has no USER, so it runs as root [dockerfile/final-stage-non-root]')
assert log.contains("Dockerfile:8: the HEALTHCHECK only checks HTTP/TCP ('curl -f http://localhost:8080/healthz || exit 1'), not the GPU [dockerfile/final-stage-healthcheck]")
// The console also has the warning, which does not fail the build, with its hint.
assert log.contains('[WARNING] Dockerfile:8:1: warning: HEALTHCHECK uses the shell form [dockerfile/exec-form]')
assert log.contains('hint: add \'USER 10001\'')

// The reports were written before the build failed.
def reports = new File(basedir, 'target/gpukit')
def sarif = new groovy.json.JsonSlurper().parse(new File(reports, 'gpukit.sarif'))
assert sarif.version == '2.1.0'
assert sarif.runs[0].results*.ruleId.sort() == ['dockerfile/exec-form', 'dockerfile/final-stage-healthcheck', 'dockerfile/final-stage-non-root']
assert sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri == 'Dockerfile'
def json = new groovy.json.JsonSlurper().parse(new File(reports, 'gpukit.json'))
assert json.violations.size() == 3
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'gpukit-junit.xml'))
assert junit.'**'.findAll { it.name() == 'failure' }.size() == 3
assert !new File(reports, 'gpukit.txt').exists()
return true
