package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UidSetFormatTest {

    @Test
    void mergesSortedRuns() {
        assertThat(UidSetFormat.sets(List.of(8L, 3L, 4L, 5L, 10L, 11L), 100)).containsExactly("3:5,8,10:11");
    }

    @Test
    void splitsLongSetsWithoutLosingAUid() {
        List<Long> uids = new ArrayList<>();
        for (long uid = 1; uid <= 2000; uid += 2) {
            uids.add(uid);
        }
        List<String> sets = UidSetFormat.sets(uids, 50);
        assertThat(sets).hasSizeGreaterThan(1).allSatisfy(set -> assertThat(set.length()).isLessThanOrEqualTo(50));
        List<Long> back = new ArrayList<>();
        for (String set : sets) {
            for (UidSet.Range range : UidSet.parse(set).ranges()) {
                for (long uid = range.first(); uid <= range.last(); uid++) {
                    back.add(uid);
                }
            }
        }
        assertThat(back).isEqualTo(uids);
    }

    @Test
    void nothingGivesNoSet() {
        assertThat(UidSetFormat.sets(List.of(), 100)).isEmpty();
    }
}
