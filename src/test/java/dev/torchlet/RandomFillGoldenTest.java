package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * random_() without bounds, bit for bit against PyTorch. The expected values were printed by torch 1.13
 * (Debian's python3-torch) running tools/golden/data.py, lines "R ...":
 *
 * <pre>
 * for dt in [torch.int64, torch.float64, torch.float32, torch.bool]:
 *     g = torch.Generator().manual_seed(7)
 *     print("R", dt, torch.empty(6, dtype=dt).random_(generator=g).tolist())
 * torch.manual_seed(2**40 + 3)
 * print("R default", [int(torch.empty((), dtype=torch.int64).random_().item()) for _ in range(3)])
 * </pre>
 */
class RandomFillGoldenTest {
    private static Tensor random6(DType dtype) {
        return Torch.empty(new long[] {6}, dtype).random_(new Generator().manualSeed(7));
    }

    @Test void int64IsRandom64Modulo2To63() {
        assertArrayEquals(new long[] {1407639518939636932L, 5163590386780219894L, 8087222774582268115L,
                4122204982959224423L, 8817350276967689401L, 710123494352685591L}, random6(DType.INT64).toLongArray());
    }

    @Test void float64IsRandom64Modulo2To53Plus1() {
        assertArrayEquals(new double[] {2516435200042024.0, 2465213813629881.0, 7765043079597394.0,
                5914923542589598.0, 8309405830997223.0, 7561952482887113.0}, random6(DType.FLOAT64).toDoubleArray());
    }

    @Test void float32IsRandomModulo2To24Plus1() {
        assertArrayEquals(new float[] {8974492f, 3335306f, 11059538f, 11020709f, 3904979f, 7131097f},
                random6(DType.FLOAT32).toFloatArray());
    }

    @Test void boolIsTheLowBit() {
        assertArrayEquals(new boolean[] {true, false, true, false, true, true}, random6(DType.BOOL).toBooleanArray());
    }

    @Test void scalarSeedFromTheDefaultGenerator() {
        Torch.manualSeed((1L << 40) + 3);
        long[] seeds = new long[3];
        for (int i = 0; i < 3; i++) seeds[i] = Torch.empty(new long[0], DType.INT64).random_().toLongArray()[0];
        assertArrayEquals(new long[] {937055941807507096L, 3839649608876091011L, 5366245355481424840L}, seeds);
    }
}
