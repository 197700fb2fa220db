package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.contract.TestItems;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A list indexed off the table (as the file store does in parallel while opening) loads like a plain list. */
class ItemTableIndexTest {

    private static final AgentId CODER = AgentId.of("coder");

    @Test
    void anIndexedListBehavesLikeALoadedOne() {
        MemoryItem a = TestItems.pattern("a", "coder");
        MemoryItem b = TestItems.pattern("b", "coder");
        MemoryItem a2 = TestItems.pattern("a", "coder"); // a duplicate id, as other tools may write
        List<MemoryItem> items = List.of(a, b, a2);
        ItemTable plain = new ItemTable();
        plain.load(CODER, ItemKind.PATTERN, items);
        ItemTable indexed = new ItemTable();

        ItemTable.Indexed list = ItemTable.index(items);
        assertThat(list.size()).isEqualTo(3);
        indexed.load(CODER, ItemKind.PATTERN, list);

        assertThat(indexed.agents()).isEqualTo(plain.agents());
        assertThat(indexed.items(CODER, ItemKind.PATTERN)).isEqualTo(plain.items(CODER, ItemKind.PATTERN));
        assertThat(indexed.find(CODER, ItemKind.PATTERN, "a")).containsSame(a);
        assertThat(indexed.find(CODER, ItemKind.PATTERN, "b")).containsSame(b);
        indexed.apply(new Change.Delete(CODER, ItemKind.PATTERN, "b"));
        indexed.apply(new Change.Upsert(CODER, TestItems.pattern("c", "coder")));
        assertThat(indexed.find(CODER, ItemKind.PATTERN, "c")).isPresent();
        assertThat(indexed.size(CODER, ItemKind.PATTERN)).isEqualTo(3);
    }

    @Test
    void anIndexedListIsLoadedOnce() {
        ItemTable.Indexed list = ItemTable.index(List.of(TestItems.pattern("a", "coder")));
        new ItemTable().load(CODER, ItemKind.PATTERN, list);

        assertThatThrownBy(() -> new ItemTable().load(CODER, ItemKind.PATTERN, list))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loaded into a table already");
        assertThatThrownBy(list::size).isInstanceOf(IllegalStateException.class);
    }
}
