package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Providers found on the class path by name. The test services file registers two test
 * providers; built-in providers registered by the main services file may be there too.
 */
class FilterProvidersTest {

    @Test
    void providersOnTheClassPathAreFoundByName() {
        FilterProviders providers = FilterProviders.load();

        assertThat(providers.names()).contains("alpha-test", "beta-test");
        assertThat(providers.named("alpha-test")).get().isInstanceOf(AlphaProvider.class);
        assertThat(providers.named("beta-test")).get().isInstanceOf(BetaProvider.class);
    }

    @Test
    void everyBuiltInFilterIsRegisteredUnderItsConfigName() {
        FilterProviders providers = FilterProviders.load();

        assertThat(providers.names()).contains("headers", "hide", "log", "rate-limit", "sender-policy", "spam-tag");
        for (String name : List.of("headers", "hide", "log", "rate-limit", "sender-policy", "spam-tag")) {
            assertThat(providers.named(name)).get().extracting(FilterProvider::name).isEqualTo(name);
        }
    }

    @Test
    void anUnknownNameIsEmpty() {
        assertThat(FilterProviders.load().named("no-such-filter")).isEmpty();
    }

    @Test
    void namesAreSortedForTheErrorThatListsThem() {
        List<String> names = new ArrayList<>(FilterProviders.load().names());

        assertThat(names).isSorted();
        assertThat(names.indexOf("alpha-test")).isLessThan(names.indexOf("beta-test"));
    }

    @Test
    void twoProvidersWithOneNameStopTheLoadNamingBoth() throws Exception {
        URL duplicate = getClass().getClassLoader().getResource("duplicate-provider/");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {duplicate}, getClass().getClassLoader())) {
            assertThatIllegalStateException().isThrownBy(() -> FilterProviders.load(loader))
                    .withMessageContaining("two filters are named alpha-test")
                    .withMessageContaining(AlphaProvider.class.getName())
                    .withMessageContaining(AlphaTwinProvider.class.getName());
        }
    }

    @Test
    void theProvidersOfAClassLoaderAreThoseItSees() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(FilterProviders.load(empty).names()).isEmpty();
        }
    }

    /** A provider the test services file registers. */
    public static final class AlphaProvider extends NamedProvider {
        public AlphaProvider() {
            super("alpha-test");
        }
    }

    /** Another provider the test services file registers. */
    public static final class BetaProvider extends NamedProvider {
        public BetaProvider() {
            super("beta-test");
        }
    }

    /** Claims the name of {@link AlphaProvider}; registered only in duplicate-provider/. */
    public static final class AlphaTwinProvider extends NamedProvider {
        public AlphaTwinProvider() {
            super("alpha-test");
        }
    }

    /** A provider with a name and nothing to configure. */
    abstract static class NamedProvider implements FilterProvider {
        private final String name;

        NamedProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ConfiguredFilter configure(FilterSettings settings) {
            settings.allowOnly();
            return (SessionFilterFactory) session -> new SessionFilter() { };
        }
    }
}
