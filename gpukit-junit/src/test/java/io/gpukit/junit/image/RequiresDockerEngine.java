package io.gpukit.junit.image;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks tests that need a real Docker engine: they fail when none answers, or are skipped when
 * {@code -Dgpukit.docker.required=false} is given.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(DockerEngineRequirement.class)
public @interface RequiresDockerEngine {
}
