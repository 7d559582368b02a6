from siaga.cli.main import main

main()
