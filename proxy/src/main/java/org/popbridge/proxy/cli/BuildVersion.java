package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code popbridge --version} prints: the version and the git commit the jar was built
 * from, as the build wrote them into {@value #RESOURCE} (git-commit-id-maven-plugin). A build
 * from a source tarball has no commit to name and says "commit unknown".
 *
 * @param version the Maven project version, or "unknown" if the build wrote none
 * @param commit the abbreviated commit id, or null outside a git checkout
 * @param dirty whether the checkout had uncommitted changes when it was built
 */
record BuildVersion(String version, String commit, boolean dirty) {

    /** Written by the build next to the classes; see proxy/pom.xml. */
    static final String RESOURCE = "/popbridge-build.properties";

    /** The version of the running build. */
    static BuildVersion current() {
        Properties properties = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource inside our own jar: say what is known rather than fail --version.
        }
        return of(properties);
    }

    static BuildVersion of(Properties properties) {
        String commit = properties.getProperty("git.commit.id.abbrev");
        return new BuildVersion(properties.getProperty("git.build.version", "unknown"),
                commit == null || commit.isBlank() ? null : commit.strip(),
                Boolean.parseBoolean(properties.getProperty("git.dirty", "false")));
    }

    /** "popbridge 0.1.0 (commit 1a2b3c4)", with "+changes" after the commit if the tree was dirty. */
    String describe() {
        String built = commit == null ? "commit unknown" : "commit " + commit + (dirty ? "+changes" : "");
        return "popbridge " + version + " (" + built + ")";
    }

    /** Hands the line to picocli's {@code --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {current().describe()};
        }
    }
}
