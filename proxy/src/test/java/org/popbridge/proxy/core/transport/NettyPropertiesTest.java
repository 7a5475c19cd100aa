package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NettyPropertiesTest {

    @Test
    void largeReadBuffersArePooledWhateverTheHeap() {
        Properties system = new Properties();

        NettyProperties.setDefaults(system);

        assertThat(system.getProperty("io.netty.allocator.lowMemory")).isEqualTo("false");
    }

    @Test
    void leakDetectionIsOffUnlessAskedFor() {
        Properties system = new Properties();

        NettyProperties.setDefaults(system);

        assertThat(system.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");
    }

    @Test
    void leakDetectionAskedForOnTheCommandLineStays() {
        Properties system = new Properties();
        system.setProperty("io.netty.leakDetection.level", "paranoid");

        NettyProperties.setDefaults(system);

        assertThat(system.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
    }

    @Test
    void ioUringPollsOnceAtATimeSoThatAResetIsNeverMissed() {
        Properties system = new Properties();

        NettyProperties.setDefaults(system);

        assertThat(system.getProperty("io.netty.iouring.pollAddMultishotEnabled")).isEqualTo("false");
    }

    @Test
    void ioUringIsSetUpBeforeItsClassesLoad() {
        // Transport is the only way to io_uring: loading it sets the property.
        assertThat(Transport.IO_URING.busyPolls()).isFalse();
        assertThat(System.getProperty("io.netty.iouring.pollAddMultishotEnabled")).isEqualTo("false");
    }

    @Test
    void aPropertyGivenOnTheCommandLineWins() {
        Properties system = new Properties();
        system.setProperty("io.netty.allocator.lowMemory", "true");

        NettyProperties.setDefaults(system);

        assertThat(system.getProperty("io.netty.allocator.lowMemory")).isEqualTo("true");
    }
}
