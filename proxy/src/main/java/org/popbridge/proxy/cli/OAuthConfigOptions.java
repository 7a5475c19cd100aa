package org.popbridge.proxy.cli;

import java.nio.file.Path;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.server.OAuthLogins;
import picocli.CommandLine.Option;

/** The options every {@code popbridge oauth} command takes: the config file, and where the token store is. */
final class OAuthConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "YAML configuration file the proxy runs with.")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The proxy's state directory, as for the main command; tokens are kept in DIR/oauth. "
                    + "Default: state-dir in the config file, else ./popbridge-state.")
    Path stateDir;

    /** The config file with --state-dir laid over it. */
    PopbridgeConfig load() throws ConfigException {
        PopbridgeConfig loaded = new ConfigLoader().load(config);
        return stateDir == null ? loaded : loaded.withStateDir(stateDir);
    }

    /** Where the running proxy reads the tokens of {@code config}. */
    static Path tokenDirectory(PopbridgeConfig config) {
        return OAuthLogins.tokenDirectory(config.stateDir());
    }
}
